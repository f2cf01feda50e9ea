namespace AgentBill;

/// <summary>Whose spending a budget limits.</summary>
public enum BudgetScopeKind
{
    /// <summary>Everything one customer runs.</summary>
    Customer = 0,

    /// <summary>One agent of one customer.</summary>
    Agent = 1,

    /// <summary>One task (job) of one customer, across many calls and processes.</summary>
    Task = 2,

    /// <summary>Everything every customer runs.</summary>
    Global = 3,
}
