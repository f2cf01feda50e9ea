namespace AgentBill;

/// <summary>What one budget's scope used and holds in one period.</summary>
/// <param name="Key">The scope and meter.</param>
/// <param name="Period">The period kind the usage was counted in.</param>
/// <param name="PeriodKey">The stable name of the period, such as <c>m:2026-11</c>.</param>
/// <param name="PeriodStart">When the period started, or <see langword="null"/> for a lifetime budget.</param>
/// <param name="PeriodEnd">When the period ends, or <see langword="null"/> for a lifetime budget.</param>
/// <param name="Limit">The limit, or <see langword="null"/> when no budget is set for the scope.</param>
/// <param name="Used">Settled usage, including overruns.</param>
/// <param name="Reserved">Units held by the open reservations approved in the period.</param>
public sealed record BudgetUsage(
    BudgetKey Key,
    BudgetPeriod Period,
    string PeriodKey,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    long? Limit,
    long Used,
    long Reserved)
{
    /// <summary>Gets what is left to reserve, never below zero, or <see langword="null"/> without a limit.</summary>
    public long? Remaining => Limit is { } limit ? Math.Max(0, limit - Used - Reserved) : null;

    /// <summary>Gets whether settled usage went past the limit.</summary>
    public bool IsOverrun => Limit is { } limit && Used > limit;
}
