namespace AgentBill.Cli.Output;

/// <summary>A budget as the tool prints it.</summary>
internal sealed record BudgetView(ScopeView Scope, UsageMeter Meter, long Limit, BudgetPeriod Period)
{
    public static BudgetView Of(Budget budget) => new(ScopeView.Of(budget.Key.Scope), budget.Key.Meter, budget.Limit, budget.Period);
}
