namespace AgentBill.InMemory;

/// <summary>Everything one customer owns: budgets, usage, holds and remembered answers. Guarded by <see cref="Gate"/>.</summary>
internal sealed class CustomerBook
{
    // Settled holds leave this index at once, so it never holds more than the open holds.
    private readonly HoldExpiryQueue _holdExpiries = new();
    private readonly PriorityQueue<string, DateTimeOffset> _idempotencyExpiries = new();
    private long _sequence;

    public object Gate { get; } = new();

    public Dictionary<BudgetKey, Budget> Budgets { get; } = [];

    public CounterTable Counters { get; } = new();

    public Dictionary<string, Hold> Holds { get; } = new(StringComparer.Ordinal);

    public TombstoneGenerations Tombstones { get; } = new();

    public Dictionary<string, IdempotencyEntry> Idempotency { get; } = new(StringComparer.Ordinal);

    /// <summary>A list each operation reuses under <see cref="Gate"/> for the budgets it touches, so a call allocates none.</summary>
    public List<InMemoryBudgetLedger.Applicable> Scratch { get; } = new(4);

    public long NextSequence() => ++_sequence;

    public void Open(Hold hold)
    {
        Holds.Add(hold.Id, hold);
        _holdExpiries.Add(hold);
    }

    public void Close(Hold hold)
    {
        Holds.Remove(hold.Id);
        _holdExpiries.Remove(hold);
    }

    public void Extend(Hold hold, DateTimeOffset expiresAt)
    {
        hold.ExpiresAt = expiresAt;
        _holdExpiries.Reorder(hold);
    }

    public void Remember(string key, IdempotencyEntry entry)
    {
        Idempotency[key] = entry;
        _idempotencyExpiries.Enqueue(key, entry.ForgetAt);
    }

    /// <summary>Takes every hold whose expiry has passed, oldest first.</summary>
    public List<Hold>? TakeExpired(DateTimeOffset now)
    {
        List<Hold>? expired = null;
        while (_holdExpiries.Count > 0 && _holdExpiries.Min.ExpiresAt <= now)
        {
            var hold = _holdExpiries.Min;
            Close(hold);
            (expired ??= []).Add(hold);
        }

        return expired;
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

        Tombstones.Forget(now);
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
