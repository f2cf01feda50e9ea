namespace AgentBill.Ledger;

/// <summary>A later expiry for an open hold.</summary>
/// <param name="CustomerId">The hold's customer.</param>
/// <param name="ReservationId">The hold.</param>
/// <param name="Now">The current time.</param>
/// <param name="ExpiresAt">The new expiry; an earlier time than the current one is ignored.</param>
public readonly record struct ExtendCommand(string CustomerId, string ReservationId, DateTimeOffset Now, DateTimeOffset ExpiresAt);
