namespace AgentBill.Ledger;

/// <summary>What a reserve or top-up did.</summary>
public readonly record struct ReserveOutcome
{
    /// <summary>Gets whether the units are held.</summary>
    public required bool Approved { get; init; }

    /// <summary>Gets why not, or <see cref="RefusalReason.None"/>.</summary>
    public RefusalReason Reason { get; init; }

    /// <summary>Gets the budget that refused and how it stood, when one did.</summary>
    public BudgetRefusal? Refusal { get; init; }

    /// <summary>Gets the budget that refused, when one did.</summary>
    public BudgetKey? RefusedBy => Refusal?.Key;

    /// <summary>Gets what the tightest budget has left, or <see langword="null"/> when none applies.</summary>
    public long? RemainingUnits { get; init; }

    /// <summary>Gets the hold's id: on a replay, the id of the first answer's hold.</summary>
    public string? ReservationId { get; init; }

    /// <summary>Gets the units the hold holds.</summary>
    public long HeldUnits { get; init; }

    /// <summary>Gets when the hold expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets whether waiting helps a refusal decided without a store (a run's ceiling); <see langword="null"/> to work it out from <see cref="Refusal"/>.</summary>
    public RetryAdvice? Advice { get; init; }

    /// <summary>Gets whether this replays an earlier command with the same idempotency key.</summary>
    public bool IsReplay { get; init; }

    /// <summary>
    /// Gets whether the units were approved without a hold because the store could not be reached and the client fails
    /// open (<see cref="AgentBillFailureMode.FailOpen"/>). Set only by <see cref="ResilientBudgetLedger"/>; a store never sets it.
    /// </summary>
    public bool IsDegraded { get; init; }
}
