namespace AgentBill;

/// <summary>A budget's settled usage crossed a threshold for the first time in a period.</summary>
/// <param name="Key">The budget's scope and meter.</param>
/// <param name="PeriodKey">The period's name.</param>
/// <param name="ThresholdPercent">The threshold crossed, such as 80.</param>
/// <param name="Used">Settled usage after the charge.</param>
/// <param name="Limit">The budget's limit.</param>
public sealed record BudgetAlert(BudgetKey Key, string PeriodKey, int ThresholdPercent, long Used, long Limit);
