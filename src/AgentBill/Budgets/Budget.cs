using AgentBill.Validation;

namespace AgentBill;

/// <summary>A limit on one meter for one scope over a period.</summary>
public sealed record Budget
{
    /// <summary>Creates a budget.</summary>
    /// <param name="scope">Whose spending is limited.</param>
    /// <param name="meter">What is counted.</param>
    /// <param name="limit">The most that may be used in one period; zero refuses everything.</param>
    /// <param name="period">How long usage accumulates.</param>
    public Budget(BudgetScope scope, UsageMeter meter, long limit, BudgetPeriod period)
    {
        Guard.DefinedScope(scope, nameof(scope));
        Guard.Defined(meter, nameof(meter));
        Guard.Defined(period, nameof(period));
        Key = new BudgetKey(scope, meter);
        Limit = Guard.Units(limit, nameof(limit));
        Period = period;
    }

    /// <summary>Gets the scope and meter this budget limits.</summary>
    public BudgetKey Key { get; }

    /// <summary>Gets the most that may be used in one period.</summary>
    public long Limit { get; }

    /// <summary>Gets how long usage accumulates.</summary>
    public BudgetPeriod Period { get; }
}
