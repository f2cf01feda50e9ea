using AgentBill.Validation;

namespace AgentBill;

/// <summary>
/// A cap on what every call inside one <see cref="AgentBillContext"/> may spend together on one meter: a run's own
/// budget (a dollar limit for one agent run, a token limit for one request), on top of the customer's budgets.
/// It is kept in the process that runs the context: before each hold, what the calls inside it were charged and
/// what their open holds hold must leave room for the new estimate, or the call is refused with
/// <see cref="RefusalReason.RunCeilingExceeded"/>. The tightest of nested ceilings wins.
/// </summary>
public sealed record SpendingCeiling
{
    /// <summary>Creates a ceiling.</summary>
    /// <param name="meter">What it caps.</param>
    /// <param name="limit">The most the calls inside the context may spend together.</param>
    /// <exception cref="ArgumentOutOfRangeException">The meter is not defined, or the limit is negative or too large.</exception>
    public SpendingCeiling(UsageMeter meter, long limit)
    {
        Meter = Guard.Defined(meter, nameof(meter));
        Limit = Guard.Units(limit, nameof(limit));
    }

    /// <summary>Gets what the ceiling caps.</summary>
    public UsageMeter Meter { get; }

    /// <summary>Gets the most the calls inside the context may spend together.</summary>
    public long Limit { get; }
}
