namespace AgentBill.Ledger;

/// <summary>Running totals of a store's decisions, read at one moment.</summary>
/// <param name="Approved">Holds approved (preflights and top-ups that held units) since the ledger was made.</param>
/// <param name="Refused">Refusals the store decided since the ledger was made.</param>
/// <param name="At">When the totals were read, by the store's clock.</param>
public readonly record struct LedgerActivity(long Approved, long Refused, DateTimeOffset At);
