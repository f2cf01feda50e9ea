using AgentBill.Ledger;
using AgentBill.Server.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AgentBill.Server.Dashboard;

/// <summary>
/// The dashboard: <c>GET /dashboard</c> is a static page (HTML, CSS, a small script; no data, so no key needed to load
/// it) that asks for an admin key and reads <c>GET /admin/dashboard</c>, which answers only to admin keys.
/// </summary>
internal static class DashboardEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/dashboard", static () => DashboardAssets.Serve("index.html")).AllowAnonymous();
        endpoints.MapGet("/dashboard/{file}", static (string file) => DashboardAssets.Serve(file)).AllowAnonymous();
        endpoints.MapGet("/admin/dashboard", ReadAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IBudgetLedger ledger, IAgentBillAdmin admin, IOptions<AgentBillOptions> options, TimeProvider time)
    {
        if (Hosting.ServerStore.Of(ledger) is not IBudgetLedgerReports reports)
        {
            return Results.Json(new { error = "not_supported", message = "The server's store keeps no reports." }, statusCode: StatusCodes.Status501NotImplemented);
        }

        try
        {
            var data = new DashboardData(reports, admin, new PeriodCalendar(options.Value.TimeZone), time);
            return Results.Json(await data.ReadAsync(http.RequestAborted).ConfigureAwait(false));
        }
        catch (AgentBillUnavailableException ex)
        {
            return Results.Json(new { error = "store_unavailable", message = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
