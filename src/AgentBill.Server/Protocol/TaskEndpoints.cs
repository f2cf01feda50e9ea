using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary><c>GET /tasks/{ref}</c> and <c>PUT /tasks/{ref}/ceiling</c>: a task's ceiling and what it has used and holds.</summary>
internal static class TaskEndpoints
{
    public static async Task<IResult> GetAsync(string taskRef, HttpContext http, IAgentBillAdmin admin)
    {
        var query = ProtocolBody.FromQuery(http.Request.Query);
        var scope = BudgetScope.Task(query.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer, Checked(taskRef));
        var ceiling = await TaskCeilings.FindAsync(admin, scope, http.RequestAborted).ConfigureAwait(false);
        return ceiling is null
            ? ProtocolErrors.Error(StatusCodes.Status404NotFound, "task_not_found", $"No task '{taskRef}' is open.")
            : await AnswerAsync(admin, scope, ceiling.Key.Meter, http.RequestAborted).ConfigureAwait(false);
    }

    public static async Task<IResult> PutCeilingAsync(string taskRef, HttpContext http, IAgentBillAdmin admin)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var scope = BudgetScope.Task(body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer, Checked(taskRef));
        var ceilingUnits = body.OptionalUnits("ceiling_units", 1)
            ?? throw new ProtocolValidationException("ceiling_units", "'ceiling_units' is required.");
        var existing = await TaskCeilings.FindAsync(admin, scope, http.RequestAborted).ConfigureAwait(false);
        var meter = body.OptionalMeter() ?? existing?.Key.Meter ?? UsageMeter.Units;
        if (existing is not null && existing.Key.Meter != meter)
        {
            return TaskCeilings.UnitMismatch(existing, meter);
        }

        var usage = await admin.GetUsageAsync(scope, meter, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        var committed = usage.Used + usage.Reserved;
        if (ceilingUnits < committed)
        {
            return ProtocolErrors.Error(
                StatusCodes.Status409Conflict,
                "ceiling_below_committed",
                $"The task has {committed} units used or held.",
                new JsonObject { ["minimum_ceiling_units"] = committed });
        }

        await admin.SetBudgetAsync(new Budget(scope, meter, ceilingUnits, BudgetPeriod.Lifetime), http.RequestAborted).ConfigureAwait(false);
        return await AnswerAsync(admin, scope, meter, http.RequestAborted).ConfigureAwait(false);
    }

    private static string Checked(string taskRef)
        => ProtocolBody.FromQuery(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["task_ref"] = taskRef })).Id("task_ref");

    private static async Task<IResult> AnswerAsync(IAgentBillAdmin admin, BudgetScope scope, UsageMeter meter, CancellationToken cancellationToken)
    {
        var usage = await admin.GetUsageAsync(scope, meter, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Results.Json(new JsonObject
        {
            ["task_ref"] = scope.Name,
            ["agent_id"] = null, // The core keeps no owner per task: tasks are per customer, any agent may charge them.
            ["ceiling_units"] = usage.Limit,
            ["used_units"] = usage.Used,
            ["reserved_units"] = usage.Reserved,
            ["remaining_units"] = usage.Remaining,
            ["exceeded"] = usage.Limit is { } limit && usage.Used >= limit,
            ["unit"] = ProtocolFields.Unit(meter),
        });
    }
}
