namespace AgentBill.InMemory;

/// <summary>
/// An open reservation. It knows the scopes its usage is metered against and the budgets it holds, and the periods
/// it was approved in, where it is settled. Guarded by its customer book's lock; its global share by the global
/// book's lock.
/// </summary>
internal sealed class Hold(string id, string agentId, string? taskRef, UsageMeter meter, long units, DateTimeOffset expiresAt, long sequence, PeriodKeys periods)
{
    public string Id { get; } = id;
    public string AgentId { get; } = agentId;
    public string? TaskRef { get; } = taskRef;
    public UsageMeter Meter { get; } = meter;
    public long Sequence { get; } = sequence;
    public PeriodKeys Periods { get; } = periods;
    public long Units { get; set; } = units;
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    /// <summary>Where the hold sits in its book's <see cref="HoldExpiryQueue"/>.</summary>
    public int QueuePosition { get; set; } = -1;

    /// <summary>The customer scope its usage is metered against.</summary>
    public required ScopeUsage Customer { get; init; }

    /// <summary>The agent scope its usage is metered against.</summary>
    public required ScopeUsage Agent { get; init; }

    /// <summary>The task scope its usage is metered against, when it names a task.</summary>
    public ScopeUsage? Task { get; init; }

    // A hold holds at most one budget for each customer-side scope (task, agent, customer): kept inline, so a
    // hold is one object.
    private HeldBudgets _held;
    private int _heldCount;

    /// <summary>The customer-side budgets holding <see cref="Units"/>.</summary>
    public ReadOnlySpan<HeldBudget> Held => _held[.._heldCount];

    /// <summary>Records that the hold holds a customer-side budget.</summary>
    public void AddHeld(HeldBudget held) => _held[_heldCount++] = held;

    /// <summary>The part held against a global budget, if one applied.</summary>
    public GlobalShare? Global { get; set; }

    [System.Runtime.CompilerServices.InlineArray(3)]
    private struct HeldBudgets
    {
        private HeldBudget _element;
    }
}

/// <summary>A budget a hold holds: the scope's usage and the period kind of its budget at approval.</summary>
internal readonly record struct HeldBudget(ScopeUsage Scope, BudgetPeriod Period);
