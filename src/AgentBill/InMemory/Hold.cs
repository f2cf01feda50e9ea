namespace AgentBill.InMemory;

/// <summary>
/// An open reservation. It holds its units on every scope its usage is metered against (and on the global scope when
/// a global budget applied), and knows the periods it was approved in, where it is settled. Guarded by its customer book's lock; its global share by the global
/// book's lock.
/// </summary>
internal sealed class Hold(string id, long units, DateTimeOffset expiresAt, long sequence, PeriodKeys periods)
{
    public string Id { get; } = id;

    // Read from the scopes rather than kept again: a busy store keeps many holds.
    public string AgentId => Agent.Key.Scope.Name!;
    public string? TaskRef => Task?.Key.Scope.Name;
    public UsageMeter Meter => Agent.Key.Meter;

    public long Sequence { get; } = sequence;
    public PeriodKeys Periods { get; } = periods;
    public long Units { get; set; } = units;
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    /// <summary>Where the hold sits in its book's <see cref="HoldExpiryQueue"/>.</summary>
    public int QueuePosition { get; set; } = -1;

    /// <summary>The customer scope it holds on and its usage is metered against.</summary>
    public required ScopeUsage Customer { get; init; }

    /// <summary>The agent scope its usage is metered against.</summary>
    public required ScopeUsage Agent { get; init; }

    /// <summary>The task scope its usage is metered against, when it names a task.</summary>
    public ScopeUsage? Task { get; init; }

    /// <summary>Holds or gives back units on every customer-side scope of the hold, in the periods it was approved in.</summary>
    public void HoldOnScopes(long units, DateTimeOffset now, TimeSpan retention)
    {
        Customer.Hold(Periods, units, now, retention);
        Agent.Hold(Periods, units, now, retention);
        Task?.Hold(Periods, units, now, retention);
    }

    /// <summary>The part held against a global budget, if one applied.</summary>
    public GlobalShare? Global { get; set; }

}
