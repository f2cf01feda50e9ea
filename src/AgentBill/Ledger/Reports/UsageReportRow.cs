namespace AgentBill.Ledger;

/// <summary>The usage of one scope and meter in one period.</summary>
/// <param name="Key">The scope and meter.</param>
/// <param name="PeriodKey">The period's name (<see cref="PeriodKeys"/>).</param>
/// <param name="Used">Settled units: what an invoice is reconciled with.</param>
/// <param name="Reserved">Units held by open holds approved in the period.</param>
public readonly record struct UsageReportRow(BudgetKey Key, string PeriodKey, long Used, long Reserved);
