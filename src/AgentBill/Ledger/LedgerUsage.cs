namespace AgentBill.Ledger;

/// <summary>Settled and held units of one scope and meter in one period.</summary>
/// <param name="Used">Settled usage.</param>
/// <param name="Reserved">Units held by the open holds approved in the period (a hold counts in the period that approved it).</param>
public readonly record struct LedgerUsage(long Used, long Reserved);
