namespace AgentBill.Ledger;

/// <summary>Who is calling and when: the part every reserve and charge command shares.</summary>
public readonly record struct LedgerCall
{
    /// <summary>Gets whose budget pays.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets the agent.</summary>
    public required string AgentId { get; init; }

    /// <summary>Gets the task, whose budget applies when one is set.</summary>
    public string? TaskRef { get; init; }

    /// <summary>Gets what the amounts count.</summary>
    public required UsageMeter Meter { get; init; }

    /// <summary>Gets the current time, from the client's <see cref="TimeProvider"/>.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets the names of the current periods.</summary>
    public required PeriodKeys Periods { get; init; }

    /// <summary>
    /// Gets the periods around <see cref="Periods"/> with their bounds, for a store whose own clock decides which one
    /// the call counts in (the Redis store under its server's clock); <see langword="null"/> when the caller gave none,
    /// and then <see cref="Periods"/> decides. A store that follows <see cref="Now"/> uses <see cref="Periods"/>.
    /// </summary>
    public PeriodChoices? Choices { get; init; }

    /// <summary>Gets the customer budget that applies when none is set for the customer and meter.</summary>
    public BudgetLimit? DefaultCustomerBudget { get; init; }

    /// <summary>Gets the key that makes a retried command a replay.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets how long idempotency keys and settled holds are remembered for replays.</summary>
    public required DateTimeOffset RememberUntil { get; init; }

    /// <summary>Gets the usage percentages that raise an alert, ascending.</summary>
    public IReadOnlyList<int> AlertThresholds { get => _alertThresholds ?? []; init => _alertThresholds = value; }

    // A default call (a value type's zero) reads as having no thresholds.
    private readonly IReadOnlyList<int>? _alertThresholds;
}
