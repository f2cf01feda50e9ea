using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary><c>POST /checkpoint</c>: a read-only mid-run check; it holds and charges nothing.</summary>
internal static class CheckpointEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IAgentBillAdmin admin)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        body.Id("agent_id");
        var soFar = body.OptionalUnits("units_so_far", 0) ?? throw new ProtocolValidationException("units_so_far", "'units_so_far' is required.");
        var ceiling = body.OptionalUnits("ceiling", 0);
        var customerId = body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        var meter = body.OptionalMeter() ?? UsageMeter.Units;

        var usage = await admin.GetUsageAsync(BudgetScope.Customer(customerId), meter, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        var reason = soFar > ceiling ? "ceiling_exceeded" : usage.Remaining == 0 ? "budget_exhausted" : null;
        return Results.Json(new JsonObject
        {
            ["approved"] = reason is null,
            ["reason"] = reason,
            ["units_so_far"] = soFar,
            ["remaining_units"] = usage.Remaining,
        });
    }
}
