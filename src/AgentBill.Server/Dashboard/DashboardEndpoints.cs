using AgentBill.Ledger;
using AgentBill.Server.Keys;
using AgentBill.Server.Protocol;
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
        endpoints.MapGet("/admin/dashboard", ReadAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy).AddEndpointFilter<ProtocolErrors>();
    }

    private static async Task<IResult> ReadAsync(HttpContext http, IBudgetLedger ledger, IAgentBillAdmin admin, IOptions<AgentBillOptions> options, TimeProvider time)
    {
        if (Hosting.ServerStore.Of(ledger) is not IBudgetLedgerReports reports)
        {
            return ProtocolErrors.Error(StatusCodes.Status501NotImplemented, "not_supported", "The server's store keeps no reports.");
        }

        // A store that does not answer is answered 503 store_unavailable by ProtocolErrors, like every endpoint.
        var data = new DashboardData(reports, admin, new PeriodCalendar(options.Value.TimeZone), time);
        return Results.Json(await data.ReadAsync(http.RequestAborted).ConfigureAwait(false));
    }
}
