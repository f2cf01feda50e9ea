namespace AgentBill;

/// <summary>
/// The base of every refusal: the budget, a ceiling or the price table said no before anything was held or
/// charged. Catch this to handle refusals; outages (<see cref="AgentBillUnavailableException"/>) and caller bugs
/// (<see cref="IdempotencyConflictException"/>, <see cref="ArgumentException"/>) are not refusals and never
/// derive from it.
/// </summary>
public abstract class AgentBillRefusedException : AgentBillException
{
    /// <summary>Creates the exception from the refused preflight.</summary>
    /// <param name="message">What was refused.</param>
    /// <param name="result">The refused preflight.</param>
    protected AgentBillRefusedException(string message, PreflightResult result)
        : base(message + RetryHint(result), result ?? throw new ArgumentNullException(nameof(result)))
        => Refusal = result;

    /// <summary>Gets the refused preflight.</summary>
    public PreflightResult Refusal { get; }

    /// <summary>Gets why the call was refused.</summary>
    public RefusalReason Reason => Refusal.Reason;

    /// <summary>Gets whether waiting would let a retry through.</summary>
    public RefusalPersistence Persistence => Refusal.Persistence;

    /// <summary>Gets the earliest time a retry may be approved, when waiting helps.</summary>
    public DateTimeOffset? RetryAt => Refusal.RetryAt;

    /// <summary>Gets how long from the refusal until <see cref="RetryAt"/>, when waiting helps.</summary>
    public TimeSpan? RetryAfter => Refusal.RetryAfter;

    private static string RetryHint(PreflightResult? result) => result?.Persistence switch
    {
        RefusalPersistence.UntilHoldsEnd => $" Runs in flight hold the rest; a retry may pass once one ends (by {result.RetryAt:u} at the latest).",
        RefusalPersistence.UntilPeriodEnds => $" The budget is spent for its period; a retry passes from {result.RetryAt:u}.",
        RefusalPersistence.Permanent => " Waiting does not help: only a smaller call or a larger budget gets through.",
        _ => string.Empty,
    };
}
