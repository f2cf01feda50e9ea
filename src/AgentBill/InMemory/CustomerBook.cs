namespace AgentBill.InMemory;

/// <summary>Everything one customer owns: budgets, usage, holds and remembered answers. Guarded by <see cref="Gate"/>.</summary>
internal sealed class CustomerBook
{
    private readonly PriorityQueue<Hold, DateTimeOffset> _holdExpiries = new();
    private readonly PriorityQueue<string, DateTimeOffset> _tombstoneExpiries = new();
    private readonly PriorityQueue<string, DateTimeOffset> _idempotencyExpiries = new();
    private long _sequence;

    public object Gate { get; } = new();

    public Dictionary<BudgetKey, Budget> Budgets { get; } = [];

    public Dictionary<CounterKey, Counter> Counters { get; } = [];

    public Dictionary<string, Hold> Holds { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Tombstone> Tombstones { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IdempotencyEntry> Idempotency { get; } = new(StringComparer.Ordinal);

    /// <summary>A list each operation reuses under <see cref="Gate"/> for the budgets it touches, so a call allocates none.</summary>
    public List<InMemoryBudgetLedger.Applicable> Scratch { get; } = new(4);

    public long NextSequence() => ++_sequence;

    public Counter CounterFor(BudgetKey key, string periodKey)
    {
        var counterKey = new CounterKey(key, periodKey);
        if (!Counters.TryGetValue(counterKey, out var counter))
        {
            counter = new Counter(key, periodKey);
            Counters.Add(counterKey, counter);
        }

        return counter;
    }

    public void TrackExpiry(Hold hold) => _holdExpiries.Enqueue(hold, hold.ExpiresAt);

    public void Remember(string key, IdempotencyEntry entry)
    {
        Idempotency[key] = entry;
        _idempotencyExpiries.Enqueue(key, entry.ForgetAt);
    }

    public void Bury(string reservationId, Tombstone tombstone)
    {
        Tombstones[reservationId] = tombstone;
        _tombstoneExpiries.Enqueue(reservationId, tombstone.ForgetAt);
    }

    /// <summary>Takes every hold whose expiry has passed, oldest first.</summary>
    public IEnumerable<Hold> TakeExpired(DateTimeOffset now)
    {
        while (_holdExpiries.TryPeek(out var hold, out var due) && due <= now)
        {
            _holdExpiries.Dequeue();
            // Stale entries: the hold was settled, released, or extended and queued again.
            if (hold.ExpiresAt <= now && Holds.TryGetValue(hold.Id, out var open) && ReferenceEquals(open, hold))
            {
                Holds.Remove(hold.Id);
                yield return hold;
            }
        }
    }

    /// <summary>Forgets replay answers and closed holds whose window has passed.</summary>
    public void Forget(DateTimeOffset now)
    {
        while (_idempotencyExpiries.TryPeek(out var key, out var due) && due <= now)
        {
            _idempotencyExpiries.Dequeue();
            if (Idempotency.TryGetValue(key, out var entry) && entry.ForgetAt <= now)
            {
                Idempotency.Remove(key);
            }
        }

        while (_tombstoneExpiries.TryPeek(out var id, out var due) && due <= now)
        {
            _tombstoneExpiries.Dequeue();
            if (Tombstones.TryGetValue(id, out var tombstone) && tombstone.ForgetAt <= now)
            {
                Tombstones.Remove(id);
            }
        }
    }

    /// <summary>The oldest open hold of an agent and meter, which a record without a reservation id settles.</summary>
    public Hold? OldestHold(string agentId, UsageMeter meter)
    {
        Hold? oldest = null;
        foreach (var hold in Holds.Values)
        {
            if (hold.Meter == meter && hold.AgentId == agentId && (oldest is null || hold.Sequence < oldest.Sequence))
            {
                oldest = hold;
            }
        }

        return oldest;
    }
}
