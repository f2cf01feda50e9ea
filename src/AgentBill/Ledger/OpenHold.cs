namespace AgentBill.Ledger;

/// <summary>An open hold as a store keeps it.</summary>
/// <param name="ReservationId">The hold's id.</param>
/// <param name="CustomerId">The customer.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="TaskRef">The task, if any.</param>
/// <param name="Meter">What the units count.</param>
/// <param name="Units">The units held.</param>
/// <param name="ExpiresAt">When the hold returns its units.</param>
public sealed record OpenHold(string ReservationId, string CustomerId, string AgentId, string? TaskRef, UsageMeter Meter, long Units, DateTimeOffset ExpiresAt);
