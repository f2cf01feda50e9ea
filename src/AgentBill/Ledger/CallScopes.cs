namespace AgentBill.Ledger;

/// <summary>The customer-side scopes one call is metered against: its task (when it names one), its agent and its customer.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="AgentId">The agent.</param>
/// <param name="TaskRef">The task, or <see langword="null"/>.</param>
/// <param name="Meter">The meter.</param>
public readonly record struct CallScopes(string CustomerId, string AgentId, string? TaskRef, UsageMeter Meter)
{
    /// <summary>Gets the task's budget key, or <see langword="null"/> when the call names no task.</summary>
    public BudgetKey? Task => TaskRef is { } task ? new BudgetKey(BudgetScope.Trusted(BudgetScopeKind.Task, CustomerId, task), Meter) : null;

    /// <summary>Gets the agent's budget key.</summary>
    public BudgetKey Agent => new(BudgetScope.Trusted(BudgetScopeKind.Agent, CustomerId, AgentId), Meter);

    /// <summary>Gets the customer's budget key.</summary>
    public BudgetKey Customer => new(BudgetScope.Trusted(BudgetScopeKind.Customer, CustomerId, null), Meter);
}
