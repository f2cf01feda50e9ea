using System.Text.Json.Nodes;
using AgentBill.Ledger;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary>
/// <c>POST /events</c>: settles a hold, releases it (<c>success:false</c>), or records usage without one. Deliberately
/// unlike the original, a record that crosses the limit is stored as an overrun (200, <c>"overrun":true</c>), never
/// answered 402 with the usage lost: the usage happened, and the next preflight is refused.
/// </summary>
internal static class EventsEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, IAgentBill agentBill, IAgentBillAdmin admin)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var customerId = body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        var agentId = body.OptionalId("event_type");
        var units = body.OptionalUnits("units", 0);
        var reservationId = body.OptionalId("reservation_id");
        var success = body.Flag("success", fallback: true);
        var usageMissing = body.Flag("usage_missing", fallback: false);
        var taskRef = body.OptionalId("task_ref");
        var key = body.OptionalId("idempotency_key");
        var metadata = body.Metadata();
        var meter = body.OptionalMeter();
        var cancellationToken = http.RequestAborted;

        if (!success)
        {
            var released = reservationId is not null && await agentBill.ReleaseAsync(reservationId, customerId, cancellationToken).ConfigureAwait(false);
            return Results.Json(new JsonObject { ["status"] = "released", ["released_hold"] = released });
        }

        OpenHold? hold = null;
        if (usageMissing || agentId is null)
        {
            hold = await HoldAsync(admin, customerId, reservationId, agentId, taskRef, meter, cancellationToken).ConfigureAwait(false);
        }

        agentId ??= hold?.AgentId ?? throw new ProtocolValidationException("event_type", "'event_type' is required.");
        var charged = usageMissing
            ? Math.Max(units ?? 0, hold?.Units ?? 0)
            : units ?? throw new ProtocolValidationException("units", "'units' is required unless usage_missing is true.");
        if (charged == 0 && usageMissing)
        {
            // Usage nobody knows is never charged as nothing: without a hold to go by, the caller must name an amount.
            throw new ProtocolValidationException("units", "usage_missing without an open hold needs units of at least 1.");
        }

        var result = await agentBill.RecordAsync(
            new RecordRequest(agentId, charged)
            {
                CustomerId = customerId,
                TaskRef = taskRef ?? hold?.TaskRef,
                Meter = meter ?? hold?.Meter ?? UsageMeter.Units,
                ReservationId = reservationId,
                IdempotencyKey = key,
                Metadata = metadata,
            },
            cancellationToken).ConfigureAwait(false);

        return result.IsReplay
            ? Results.Json(new JsonObject { ["status"] = "duplicate_ignored" })
            : Results.Json(new JsonObject
            {
                ["status"] = "recorded",
                ["units"] = result.Units,
                ["overrun"] = result.IsOverrun,
                ["remaining_units"] = result.RemainingUnits,
            });
    }

    /// <summary>The named hold, else the oldest open hold of the same customer, agent, task and meter.</summary>
    private static async ValueTask<OpenHold?> HoldAsync(IAgentBillAdmin admin, string customerId, string? reservationId, string? agentId, string? taskRef, UsageMeter? meter, CancellationToken cancellationToken)
    {
        var holds = await admin.GetOpenHoldsAsync(customerId, cancellationToken).ConfigureAwait(false);
        return reservationId is not null
            ? holds.FirstOrDefault(hold => hold.ReservationId == reservationId)
            : holds
                .Where(hold => (agentId is null || hold.AgentId == agentId) && hold.TaskRef == taskRef && (meter is null || hold.Meter == meter))
                .MinBy(static hold => hold.ExpiresAt);
    }
}
