namespace AgentBill.Cli.Output;

/// <summary>A budget scope as the tool prints it: its kind and the names that make it.</summary>
/// <param name="Kind">Customer, agent (customer × agent), task or global.</param>
/// <param name="CustomerId">The customer, or <see langword="null"/> for the global scope.</param>
/// <param name="AgentId">The agent of an agent scope.</param>
/// <param name="TaskRef">The task of a task scope.</param>
internal sealed record ScopeView(BudgetScopeKind Kind, string? CustomerId, string? AgentId, string? TaskRef)
{
    public static ScopeView Of(BudgetScope scope) => new(
        scope.Kind,
        scope.CustomerId,
        scope.Kind == BudgetScopeKind.Agent ? scope.Name : null,
        scope.Kind == BudgetScopeKind.Task ? scope.Name : null);

    /// <summary>A short label for a table cell: <c>alice</c>, <c>alice / agent researcher</c>, <c>global</c>.</summary>
    public override string ToString() => Kind switch
    {
        BudgetScopeKind.Global => "global",
        BudgetScopeKind.Customer => CustomerId!,
        BudgetScopeKind.Agent => $"{CustomerId} / agent {AgentId}",
        _ => $"{CustomerId} / task {TaskRef}",
    };
}
