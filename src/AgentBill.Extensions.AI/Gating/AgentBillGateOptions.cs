using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>What the chat and embedding gates share: who is charged, what is counted, and how it is priced.</summary>
public abstract class AgentBillGateOptions
{
    /// <summary>Gets or sets the agent label charged for the calls. A call or an <see cref="AgentBillContext"/> can name another.</summary>
    public abstract string AgentId { get; set; }

    /// <summary>
    /// Gets or sets what the budget counts: <see cref="UsageMeter.MicroUsd"/> (the default; every call is priced,
    /// and a model with no price is refused) or <see cref="UsageMeter.Tokens"/> (input plus output tokens).
    /// </summary>
    public UsageMeter Meter { get; set; } = UsageMeter.MicroUsd;

    /// <summary>Gets or sets the prices: the built-in table, custom prices and an optional fallback.</summary>
    public ModelPricing Pricing { get; set; } = new();

    /// <summary>Gets or sets what counts input tokens before a call. Defaults to <see cref="TokenizerTokenEstimator.Shared"/>.</summary>
    public ITokenEstimator Estimator { get; set; } = TokenizerTokenEstimator.Shared;

    /// <summary>Gets or sets this gate's per-call ceiling, in the meter's units; the tightest ceiling applies.</summary>
    public long? Ceiling { get; set; }

    /// <summary>
    /// Gets or sets the most one call is charged, in the meter's units: a usage priced above it (a server reporting
    /// 9·10^14 output tokens, say) is charged this instead, flagged <see cref="ModelUsageIssue.Absurd"/>, and the
    /// response is still returned. <see langword="null"/> (the default) is 10^15, the most one record holds; set it to
    /// what your dearest call can cost. A count above 10^15 is no count at all, and is read as the most the call's
    /// options allow (its prompt's estimate, its output cap), whatever this is.
    /// </summary>
    public long? MaxChargedUnits { get; set; }

    /// <summary>
    /// Gets or sets how long a hold lives unsettled, or <see langword="null"/> for the client's TTL. The gates keep a
    /// call's hold alive while the provider works on it (extending it every half TTL on <see cref="TimeProvider"/>),
    /// and a stream's while its updates arrive.
    /// </summary>
    public TimeSpan? ReservationTtl { get; set; }

    /// <summary>Gets or sets the clock for keeping holds alive, or <see langword="null"/> for the one in services (else the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Gets the most one call is charged: <see cref="MaxChargedUnits"/>, or the most one record holds.</summary>
    internal long ChargeCap => MaxChargedUnits ?? AgentBillLimits.MaxUnits;

    /// <summary>Throws when the options cannot work; a derived class checks its own settings after calling this.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    protected internal virtual void Validate()
    {
        if (Meter is not (UsageMeter.MicroUsd or UsageMeter.Tokens))
        {
            throw new ArgumentException($"The gate counts {nameof(UsageMeter.MicroUsd)} or {nameof(UsageMeter.Tokens)}, not {Meter}.", nameof(Meter));
        }

        ArgumentNullException.ThrowIfNull(Pricing, nameof(Pricing));
        ArgumentNullException.ThrowIfNull(Estimator, nameof(Estimator));
        ArgumentException.ThrowIfNullOrWhiteSpace(AgentId, nameof(AgentId));
        if (MaxChargedUnits is { } cap)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap, nameof(MaxChargedUnits));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(cap, AgentBillLimits.MaxUnits, nameof(MaxChargedUnits));
        }
    }
}
