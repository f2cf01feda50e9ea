namespace AgentBill;

/// <summary>What a record or commit did to the ledger.</summary>
public readonly record struct RecordResult
{
    /// <summary>Gets the units charged.</summary>
    public required long Units { get; init; }

    /// <summary>Gets the hold that was settled, if any.</summary>
    public string? SettledReservationId { get; init; }

    /// <summary>Gets the units the settled hold returned to the budget.</summary>
    public long ReleasedUnits { get; init; }

    /// <summary>Gets whether a budget's settled usage is now past its limit: the next preflight will be refused.</summary>
    public bool IsOverrun { get; init; }

    /// <summary>
    /// Gets whether a counter reached the largest total a ledger keeps (2^53 − 1) and stopped there: less than the
    /// truth was stored. Only absurd amounts get there; every budget of that counter then refuses everything.
    /// </summary>
    public bool IsSaturated { get; init; }

    /// <summary>Gets what the tightest applicable budget has left, or <see langword="null"/> when no budget applies.</summary>
    public long? RemainingUnits { get; init; }

    /// <summary>Gets whether this answer replays an earlier record with the same idempotency key.</summary>
    public bool IsReplay { get; init; }
}
