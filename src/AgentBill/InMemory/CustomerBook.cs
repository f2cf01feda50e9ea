namespace AgentBill.InMemory;

/// <summary>
/// Everything one customer owns: budgets, usage of every scope, holds and remembered answers. Guarded by locking
/// the book itself. Each part is made the first time it is needed, so a customer that only ever made one call
/// costs a few small objects; a book the idle queue drops is marked <see cref="Removed"/> under its lock, and an
/// operation that finds it so starts again on the book that replaced it.
/// </summary>
internal sealed class CustomerBook(string customerId)
{
    private readonly ScopeUsage?[] _customer = new ScopeUsage?[3];
    private Dictionary<BudgetKey, Budget>? _budgets;
    private Dictionary<ScopeName, ScopeUsage>? _scopes;
    private Dictionary<string, Hold>? _holds;
    private HoldExpiryQueue? _holdExpiries;
    private SettledHolds? _tombstones;
    private Dictionary<string, IdempotencyEntry>? _idempotency;
    private PriorityQueue<string, DateTimeOffset>? _idempotencyExpiries;
    private long _sequence;

    public string CustomerId { get; } = customerId;

    /// <summary>Set, under the book's lock, when the idle queue dropped the book from the ledger.</summary>
    public bool Removed { get; set; }

    /// <summary>The last time an operation changed the book.</summary>
    public DateTimeOffset LastActivity { get; set; }

    /// <summary>Whether the book waits in the idle queue.</summary>
    public bool InIdleQueue { get; set; }

    /// <summary>A list each operation reuses under the lock for the budgets it touches, so a call allocates none.</summary>
    public List<InMemoryBudgetLedger.Applicable> Scratch { get; } = new(4);

    /// <summary>A list each charge reuses under the lock for the alert thresholds it crosses.</summary>
    public List<int> CrossedThresholds => _crossed ??= new(3);

    private List<int>? _crossed;

    /// <summary>
    /// Whether nothing but settled usage keeps the book: no budget, no open hold, no answer still to replay.
    /// Forgets what has passed first.
    /// </summary>
    public bool HoldsOnlyUsage(DateTimeOffset now)
    {
        Forget(now);
        return (_budgets is null || _budgets.Count == 0)
            && (_holds is null || _holds.Count == 0)
            && (_idempotency is null || _idempotency.Count == 0)
            && (_tombstones is null || !_tombstones.HasAnyAt(now));
    }

    public Budget? BudgetOf(BudgetKey key) => _budgets?.GetValueOrDefault(key);

    public void SetBudget(Budget budget) => (_budgets ??= [])[budget.Key] = budget;

    public bool RemoveBudget(BudgetKey key) => _budgets?.Remove(key) ?? false;

    /// <summary>The usage of a customer-side scope, made when <paramref name="create"/> is set.</summary>
    public ScopeUsage? UsageOf(BudgetKey key, bool create)
    {
        if (key.Scope.Kind == BudgetScopeKind.Customer)
        {
            return _customer[(int)key.Meter] ?? (create ? _customer[(int)key.Meter] = new ScopeUsage(key) : null);
        }

        var name = new ScopeName(key.Scope.Kind, key.Scope.Name!, key.Meter);
        if (_scopes is not null && _scopes.TryGetValue(name, out var usage))
        {
            return usage;
        }

        if (!create)
        {
            return null;
        }

        usage = new ScopeUsage(key);
        (_scopes ??= []).Add(name, usage);
        return usage;
    }

    public long NextSequence() => ++_sequence;

    public int HoldCount => _holds?.Count ?? 0;

    public IEnumerable<Hold> Holds => _holds?.Values ?? Enumerable.Empty<Hold>();

    public bool TryGetHold(string id, out Hold hold)
    {
        hold = null!;
        return _holds is not null && _holds.TryGetValue(id, out hold!);
    }

    public bool HasHold(string id) => _holds?.ContainsKey(id) ?? false;

    /// <summary>When the first open hold returns its units if nobody settles it.</summary>
    public DateTimeOffset? EarliestHoldExpiry => _holdExpiries is { Count: > 0 } queue ? queue.Min.ExpiresAt : null;

    public void Open(Hold hold)
    {
        (_holds ??= new(StringComparer.Ordinal)).Add(hold.Id, hold);
        (_holdExpiries ??= new()).Add(hold);
    }

    public void Close(Hold hold)
    {
        _holds!.Remove(hold.Id);
        _holdExpiries!.Remove(hold);
    }

    public void Extend(Hold hold, DateTimeOffset expiresAt)
    {
        hold.ExpiresAt = expiresAt;
        _holdExpiries!.Reorder(hold);
    }

    public SettledHolds Tombstones => _tombstones ??= new();

    public bool TryGetTombstone(string reservationId, DateTimeOffset now, out Tombstone tombstone)
    {
        tombstone = default;
        return _tombstones is not null && _tombstones.TryGet(reservationId, now, out tombstone);
    }

    public bool TryRecall(string key, out IdempotencyEntry entry)
    {
        entry = null!;
        return _idempotency is not null && _idempotency.TryGetValue(key, out entry!);
    }

    public void Remember(string key, IdempotencyEntry entry)
    {
        (_idempotency ??= new(StringComparer.Ordinal))[key] = entry;
        (_idempotencyExpiries ??= new()).Enqueue(key, entry.ForgetAt);
    }

    /// <summary>Takes every hold whose expiry has passed, oldest first.</summary>
    public List<Hold>? TakeExpired(DateTimeOffset now)
    {
        List<Hold>? expired = null;
        while (_holdExpiries is { Count: > 0 } queue && queue.Min.ExpiresAt <= now)
        {
            var hold = queue.Min;
            Close(hold);
            (expired ??= []).Add(hold);
        }

        return expired;
    }

    /// <summary>Forgets replay answers and settled holds whose window has passed.</summary>
    public void Forget(DateTimeOffset now)
    {
        while (_idempotencyExpiries is not null && _idempotencyExpiries.TryPeek(out var key, out var due) && due <= now)
        {
            _idempotencyExpiries.Dequeue();
            if (_idempotency!.TryGetValue(key, out var entry) && entry.ForgetAt <= now)
            {
                _idempotency.Remove(key);
            }
        }

        _tombstones?.Forget(now);
    }

    /// <summary>The oldest open hold of an agent, meter and task, which a record without a reservation id settles.</summary>
    public Hold? OldestHold(string agentId, UsageMeter meter, string? taskRef)
    {
        Hold? oldest = null;
        foreach (var hold in Holds)
        {
            if (hold.Meter == meter && hold.AgentId == agentId && hold.TaskRef == taskRef && (oldest is null || hold.Sequence < oldest.Sequence))
            {
                oldest = hold;
            }
        }

        return oldest;
    }

    /// <summary>An agent or task scope of this customer, by kind, name and meter.</summary>
    private readonly record struct ScopeName(BudgetScopeKind Kind, string Name, UsageMeter Meter);
}
