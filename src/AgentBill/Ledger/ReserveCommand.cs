namespace AgentBill.Ledger;

/// <summary>A hold to make against every budget that applies to a call.</summary>
/// <param name="Call">Who is calling and when.</param>
/// <param name="ReservationId">The id the client chose for the hold.</param>
/// <param name="Units">The units to hold.</param>
/// <param name="ExpiresAt">When the hold returns its units if nobody settles it.</param>
public readonly record struct ReserveCommand(LedgerCall Call, string ReservationId, long Units, DateTimeOffset ExpiresAt);
