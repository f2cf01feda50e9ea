namespace AgentBill.Ledger;

/// <summary>One page of the budgets a store keeps.</summary>
/// <param name="Budgets">The budgets of the page.</param>
/// <param name="NextCursor">What to pass for the next page, or <see langword="null"/> when this page is the last.</param>
public sealed record BudgetPage(IReadOnlyList<Budget> Budgets, string? NextCursor);
