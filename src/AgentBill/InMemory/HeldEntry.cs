namespace AgentBill.InMemory;

/// <summary>One budget's counter that a hold or charge touches, with the period it counts in.</summary>
internal sealed record HeldEntry(BudgetKey Key, string PeriodKey, Counter Counter);
