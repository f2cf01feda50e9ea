using AgentBill.Validation;

namespace AgentBill;

/// <summary>A limit and its period, without a scope: the default budget every customer starts with.</summary>
public sealed record BudgetLimit
{
    /// <summary>Creates a limit.</summary>
    /// <param name="limit">The most that may be used in one period.</param>
    /// <param name="period">How long usage accumulates.</param>
    public BudgetLimit(long limit, BudgetPeriod period)
    {
        Guard.Defined(period, nameof(period));
        Limit = Guard.Units(limit, nameof(limit));
        Period = period;
    }

    /// <summary>Gets the most that may be used in one period.</summary>
    public long Limit { get; }

    /// <summary>Gets how long usage accumulates.</summary>
    public BudgetPeriod Period { get; }
}
