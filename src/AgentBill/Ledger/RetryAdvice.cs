namespace AgentBill.Ledger;

/// <summary>Whether waiting would let a refused call through, and from when.</summary>
/// <param name="Persistence">How long the refusal lasts.</param>
/// <param name="RetryAt">The earliest time a retry may be approved, when waiting helps.</param>
public readonly record struct RetryAdvice(RefusalPersistence Persistence, DateTimeOffset? RetryAt)
{
    /// <summary>The advice for a refusal that no amount of waiting changes.</summary>
    public static RetryAdvice Permanent { get; } = new(RefusalPersistence.Permanent, null);
}
