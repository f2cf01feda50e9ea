namespace AgentBill.Ledger;

/// <summary>What a charge did.</summary>
public readonly record struct ChargeOutcome
{
    /// <summary>Gets the units charged.</summary>
    public required long Units { get; init; }

    /// <summary>Gets the hold that was settled, if any.</summary>
    public string? SettledReservationId { get; init; }

    /// <summary>Gets the units the settled hold gave back.</summary>
    public long ReleasedUnits { get; init; }

    /// <summary>Gets whether a charged budget's usage is now past its limit.</summary>
    public bool IsOverrun { get; init; }

    /// <summary>
    /// Gets whether a counter reached <see cref="BudgetRules.MaxTotal"/> and kept that instead of the whole sum: less
    /// than the truth was stored, and this says so.
    /// </summary>
    public bool IsSaturated { get; init; }

    /// <summary>Gets what the tightest charged budget has left, or <see langword="null"/> when none applies.</summary>
    public long? RemainingUnits { get; init; }

    /// <summary>Gets whether this replays an earlier charge.</summary>
    public bool IsReplay { get; init; }

    /// <summary>
    /// Gets the thresholds this charge crossed for the first time in their budget's period. The store decides
    /// this inside the charge, so each alert is raised once across every process.
    /// </summary>
    public IReadOnlyList<BudgetAlert> Alerts { get => _alerts ?? []; init => _alerts = value; }

    // A default outcome (a value type's zero) reads as raising no alerts.
    private readonly IReadOnlyList<BudgetAlert>? _alerts;
}
