using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary>
/// <c>GET /budget</c> and <c>PUT /budget</c>: a customer's budget. An unknown customer reads as one without a limit
/// (never 404). <c>limit_units</c> null removes the limit, 0 blocks everything. An optional <c>agent_id</c> (an extension:
/// the original has customer budgets only) reads or sets the budget of that customer's agent instead.
/// </summary>
internal static class BudgetEndpoints
{
    public static async Task<IResult> GetAsync(HttpContext http, IAgentBillAdmin admin)
    {
        var query = ProtocolBody.FromQuery(http.Request.Query);
        var customerId = query.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        return await AnswerAsync(admin, customerId, query.OptionalId("agent_id"), query.OptionalMeter() ?? UsageMeter.Units, http.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<IResult> PutAsync(HttpContext http, IAgentBillAdmin admin)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var customerId = body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        if (!body.Has("limit_units"))
        {
            throw new ProtocolValidationException("limit_units", "'limit_units' is required (null for no limit).");
        }

        var limit = body.OptionalUnits("limit_units", 0);
        var meter = body.OptionalMeter() ?? UsageMeter.Units;
        var period = body.Period();
        var agentId = body.OptionalId("agent_id");
        var scope = ScopeOf(customerId, agentId);
        if (limit is { } units)
        {
            await admin.SetBudgetAsync(new Budget(scope, meter, units, period), http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await admin.RemoveBudgetAsync(scope, meter, http.RequestAborted).ConfigureAwait(false);
        }

        return await AnswerAsync(admin, customerId, agentId, meter, http.RequestAborted).ConfigureAwait(false);
    }

    private static BudgetScope ScopeOf(string customerId, string? agentId)
        => agentId is null ? BudgetScope.Customer(customerId) : BudgetScope.Agent(customerId, agentId);

    private static async Task<IResult> AnswerAsync(IAgentBillAdmin admin, string customerId, string? agentId, UsageMeter meter, CancellationToken cancellationToken)
    {
        var usage = await admin.GetUsageAsync(ScopeOf(customerId, agentId), meter, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Results.Json(new JsonObject
        {
            ["customer_id"] = customerId,
            ["agent_id"] = agentId,
            ["limit"] = usage.Limit,
            ["used"] = usage.Used,
            ["remaining"] = usage.Remaining,
            ["is_blocked"] = usage.Remaining == 0,
            ["reserved"] = usage.Reserved,
            ["unit"] = ProtocolFields.Unit(meter),
            ["period"] = ProtocolFields.Period(usage.Period),
        });
    }
}
