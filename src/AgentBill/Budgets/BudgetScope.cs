using AgentBill.Validation;

namespace AgentBill;

/// <summary>Identifies whose spending a budget limits: a customer, an agent of a customer, a task of a customer, or everyone.</summary>
public readonly record struct BudgetScope
{
    private BudgetScope(BudgetScopeKind kind, string? customerId, string? name)
    {
        Kind = kind;
        CustomerId = customerId;
        Name = name;
    }

    /// <summary>Gets the kind of scope.</summary>
    public BudgetScopeKind Kind { get; }

    /// <summary>Gets the customer, or <see langword="null"/> for <see cref="BudgetScopeKind.Global"/>.</summary>
    public string? CustomerId { get; }

    /// <summary>Gets the agent id or task reference, or <see langword="null"/> for customer and global scopes.</summary>
    public string? Name { get; }

    /// <summary>The scope of everything every customer runs.</summary>
    public static BudgetScope Global { get; } = new(BudgetScopeKind.Global, null, null);

    /// <summary>The scope of everything one customer runs.</summary>
    /// <param name="customerId">The customer.</param>
    public static BudgetScope Customer(string customerId)
        => new(BudgetScopeKind.Customer, Guard.Id(customerId, nameof(customerId)), null);

    /// <summary>The scope of one agent of one customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="agentId">The agent.</param>
    public static BudgetScope Agent(string customerId, string agentId)
        => new(BudgetScopeKind.Agent, Guard.Id(customerId, nameof(customerId)), Guard.Id(agentId, nameof(agentId)));

    /// <summary>The scope of one task of one customer.</summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="taskRef">The task reference.</param>
    public static BudgetScope Task(string customerId, string taskRef)
        => new(BudgetScopeKind.Task, Guard.Id(customerId, nameof(customerId)), Guard.Id(taskRef, nameof(taskRef)));

    /// <summary>A scope from parts a caller already validated, for hot paths that must not check every id again.</summary>
    internal static BudgetScope Trusted(BudgetScopeKind kind, string? customerId, string? name) => new(kind, customerId, name);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        BudgetScopeKind.Global => "global",
        BudgetScopeKind.Customer => $"customer '{CustomerId}'",
        BudgetScopeKind.Agent => $"agent '{Name}' of customer '{CustomerId}'",
        _ => $"task '{Name}' of customer '{CustomerId}'",
    };
}
