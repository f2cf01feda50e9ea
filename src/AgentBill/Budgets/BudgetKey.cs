namespace AgentBill;

/// <summary>Identifies one budget: a scope and the meter it limits.</summary>
/// <param name="Scope">Whose spending is limited.</param>
/// <param name="Meter">What is counted.</param>
public readonly record struct BudgetKey(BudgetScope Scope, UsageMeter Meter);
