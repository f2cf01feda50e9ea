namespace AgentBill.Ledger;

/// <summary>A hold to free without charging.</summary>
/// <param name="CustomerId">The hold's customer.</param>
/// <param name="ReservationId">The hold.</param>
/// <param name="Now">The current time.</param>
public readonly record struct ReleaseCommand(string CustomerId, string ReservationId, DateTimeOffset Now);
