using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary>
/// Extensions the SDKs never call: <c>POST /reservations/{id}/extend</c>, <c>/topup</c> and <c>/release</c>, so a long
/// run keeps its hold alive or grows it instead of needing one long TTL.
/// </summary>
internal static class ReservationEndpoints
{
    public static async Task<IResult> ExtendAsync(string id, HttpContext http, IAgentBill agentBill)
    {
        var (customerId, ttl, _) = await ReadAsync(http, unitsRequired: false).ConfigureAwait(false);
        var expires = await agentBill.ExtendAsync(id, customerId, ttl, http.RequestAborted).ConfigureAwait(false);
        return expires is { } at
            ? Results.Json(new JsonObject { ["reservation_id"] = id, ["reservation_expires_at"] = at.ToString("O", CultureInfo.InvariantCulture) })
            : NotOpen(id);
    }

    public static async Task<IResult> TopUpAsync(string id, HttpContext http, IAgentBill agentBill)
    {
        var (customerId, ttl, units) = await ReadAsync(http, unitsRequired: true).ConfigureAwait(false);
        var result = await agentBill.TopUpAsync(id, units, customerId, ttl, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JsonObject
        {
            ["approved"] = result.Approved,
            ["reason"] = ProtocolFields.Reason(result.Reason),
            ["reservation_id"] = id,
            ["held_units"] = result.HeldUnits,
            ["remaining_units"] = result.RemainingUnits,
            ["reservation_expires_at"] = result.ExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
        });
    }

    public static async Task<IResult> ReleaseAsync(string id, HttpContext http, IAgentBill agentBill)
    {
        var (customerId, _, _) = await ReadAsync(http, unitsRequired: false).ConfigureAwait(false);
        var released = await agentBill.ReleaseAsync(id, customerId, http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["status"] = "released", ["released_hold"] = released });
    }

    private static async Task<(string CustomerId, TimeSpan? Ttl, long Units)> ReadAsync(HttpContext http, bool unitsRequired)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var customerId = body.OptionalId("customer_id") ?? ProtocolFields.DefaultCustomer;
        var ttl = body.OptionalUnits("ttl_seconds", 1) is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var units = body.OptionalUnits("units", 1);
        return (customerId, ttl, unitsRequired ? units ?? throw new ProtocolValidationException("units", "'units' is required.") : 0);
    }

    private static IResult NotOpen(string id)
        => ProtocolErrors.Error(StatusCodes.Status404NotFound, "reservation_not_open", $"Reservation '{id}' is not open.");
}
