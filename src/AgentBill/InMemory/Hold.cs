namespace AgentBill.InMemory;

/// <summary>An open reservation. Guarded by its customer book's lock; its global share by the global book's lock.</summary>
internal sealed class Hold(string id, string agentId, string? taskRef, UsageMeter meter, long units, DateTimeOffset expiresAt, long sequence)
{
    public string Id { get; } = id;
    public string AgentId { get; } = agentId;
    public string? TaskRef { get; } = taskRef;
    public UsageMeter Meter { get; } = meter;
    public long Sequence { get; } = sequence;
    public long Units { get; set; } = units;
    public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

    /// <summary>Where the hold sits in its book's <see cref="HoldExpiryQueue"/>.</summary>
    public int QueuePosition { get; set; } = -1;

    // A hold holds at most one counter for each customer-side scope (task, agent, customer): kept inline, so
    // a hold is one object.
    private CustomerSideCounters _entries;
    private int _entryCount;

    /// <summary>The customer-side counters holding <see cref="Units"/>.</summary>
    public ReadOnlySpan<Counter> Entries => _entries[.._entryCount];

    /// <summary>Records that the hold holds a customer-side counter.</summary>
    public void AddEntry(Counter counter) => _entries[_entryCount++] = counter;

    /// <summary>The part held against a global budget, if one applied.</summary>
    public GlobalShare? Global { get; set; }

    /// <summary>Every counter the hold holds, its global share's included.</summary>
    public IEnumerable<Counter> HeldCounters() => Global is { } share ? [.. Entries, share.Counter] : [.. Entries];

    [System.Runtime.CompilerServices.InlineArray(3)]
    private struct CustomerSideCounters
    {
        private Counter _element;
    }
}
