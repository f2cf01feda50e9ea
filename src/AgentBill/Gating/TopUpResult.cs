namespace AgentBill;

/// <summary>The answer to growing a running reservation. A refusal tells a long loop to stop gracefully.</summary>
public sealed record TopUpResult
{
    /// <summary>Gets whether the extra units are now held.</summary>
    public required bool Approved { get; init; }

    /// <summary>Gets why the top-up was refused, or <see cref="RefusalReason.None"/>.</summary>
    public RefusalReason Reason { get; init; }

    /// <summary>Gets the units the reservation holds now.</summary>
    public required long HeldUnits { get; init; }

    /// <summary>Gets what the tightest applicable budget has left, or <see langword="null"/> when no budget applies.</summary>
    public long? RemainingUnits { get; init; }

    /// <summary>Gets the budget that refused, when one did.</summary>
    public BudgetKey? RefusedBy { get; init; }

    /// <summary>Gets whether waiting would let a retry of a refused top-up through.</summary>
    public RefusalPersistence Persistence { get; init; }

    /// <summary>Gets the earliest time a retry of a refused top-up may be approved, when waiting helps.</summary>
    public DateTimeOffset? RetryAt { get; init; }

    /// <summary>Gets when the reservation expires now.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
