using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary><c>POST /preflight</c>: holds an estimate under the customer's budget and the task's ceiling, or refuses (200 either way).</summary>
internal static class PreflightEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IAgentBill agentBill, IAgentBillAdmin admin, InFlightKeys inFlight, Microsoft.Extensions.Options.IOptions<AgentBillServerOptions> options)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var agentId = body.Id("agent_id");
        var customerId = body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        var usdEstimate = body.OptionalUsd("estimated_usd", roundUp: true);
        var usdCeiling = body.OptionalUsd("task_ceiling_usd", roundUp: false);
        var meter = body.OptionalMeter() ?? (usdEstimate ?? usdCeiling) switch { null => UsageMeter.Units, _ => UsageMeter.MicroUsd };
        var estimated = body.OptionalUnits("estimated_units", 1) ?? usdEstimate ?? 1;
        var ceiling = body.OptionalUnits("ceiling", 0);
        var taskRef = body.OptionalId("task_ref");
        var taskCeiling = body.OptionalUnits("task_ceiling", 1) ?? usdCeiling;
        var key = body.OptionalId("idempotency_key");
        var ttl = body.OptionalUnits("ttl_seconds", 1) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var cancellationToken = http.RequestAborted;

        using var claim = key is null ? null : inFlight.TryClaim(customerId, key);
        if (key is not null && claim is null)
        {
            return ProtocolErrors.Error(StatusCodes.Status409Conflict, "preflight_in_progress", "A preflight with this idempotency key is being decided right now.");
        }

        var task = taskRef is null ? (BudgetScope?)null : BudgetScope.Task(customerId, taskRef);
        if (task is { } scope)
        {
            var existing = await TaskCeilings.FindAsync(admin, scope, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (taskCeiling is not { } opening)
                {
                    return ProtocolErrors.Error(StatusCodes.Status422UnprocessableEntity, "task_ceiling_required", "A new task needs task_ceiling (or PUT /tasks/{ref}/ceiling first).");
                }

                await admin.SetBudgetAsync(new Budget(scope, meter, opening, BudgetPeriod.Lifetime), cancellationToken).ConfigureAwait(false);
            }
            else if (existing.Key.Meter != meter)
            {
                return TaskCeilings.UnitMismatch(existing, meter);
            }
        }

        var result = await agentBill.PreflightAsync(
            new PreflightRequest(agentId)
            {
                CustomerId = customerId,
                EstimatedUnits = estimated,
                Ceiling = ceiling,
                TaskRef = taskRef,
                Meter = meter,
                IdempotencyKey = key,
                Ttl = ttl,
            },
            cancellationToken).ConfigureAwait(false);

        var answer = new JsonObject
        {
            ["approved"] = result.Approved,
            ["reason"] = ProtocolFields.Reason(result.Reason),
            ["estimated_units"] = result.EstimatedUnits,
            ["remaining_units"] = result.RemainingUnits,
            ["reservation_id"] = result.ReservationId,
            ["reservation_expires_at"] = result.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
            ["task_ref"] = taskRef,
            ["unit"] = ProtocolFields.Unit(meter),
        };
        if (task is { } taskScope)
        {
            var usage = await admin.GetUsageAsync(taskScope, meter, cancellationToken: cancellationToken).ConfigureAwait(false);
            answer["task_ceiling"] = usage.Limit;
            answer["task_used_units"] = usage.Used;
            answer["task_remaining_units"] = usage.Remaining;
        }
        else
        {
            answer["task_ceiling"] = null;
            answer["task_remaining_units"] = null;
        }

        if (!result.Approved && (result.UpgradeUrl ?? options.Value.UpgradeUrl) is { } upgrade)
        {
            answer["upgrade_url"] = upgrade.ToString();
        }

        return Results.Json(answer);
    }
}
