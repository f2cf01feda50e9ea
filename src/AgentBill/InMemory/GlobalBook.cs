using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// Budgets and usage of the global scope, metered only while a global budget of the meter is set. Taken after a
/// customer book's lock, never before.
/// </summary>
internal sealed class GlobalBook(TimeSpan retention)
{
    private readonly PriorityQueue<GlobalShare, DateTimeOffset> _expiries = new();
    private readonly ScopeUsage?[] _usage = new ScopeUsage?[Enum.GetValues<UsageMeter>().Length];

    // Copy-on-write so the hot path can see "no global budget" without taking the global lock.
    private volatile Budget?[] _budgets = new Budget?[Enum.GetValues<UsageMeter>().Length];

    public object Gate { get; } = new();

    /// <summary>The global budgets set, one per meter at most.</summary>
    public IEnumerable<Budget> Budgets => _budgets.Where(static budget => budget is not null)!;

    /// <summary>The usage of every meter ever metered. Caller holds <see cref="Gate"/>.</summary>
    public IEnumerable<ScopeUsage> Usages => _usage.Where(static usage => usage is not null)!;

    public Budget? BudgetFor(UsageMeter meter) => _budgets[(int)meter];

    /// <summary>Sets or removes (<paramref name="budget"/> null) the budget of a meter. Caller holds <see cref="Gate"/>.</summary>
    public bool Replace(UsageMeter meter, Budget? budget)
    {
        var copy = (Budget?[])_budgets.Clone();
        var had = copy[(int)meter] is not null;
        copy[(int)meter] = budget;
        _budgets = copy;
        return had;
    }

    /// <summary>The usage of a meter, made when <paramref name="create"/> is set. Caller holds <see cref="Gate"/>.</summary>
    public ScopeUsage? UsageOf(UsageMeter meter, bool create)
        => _usage[(int)meter] ?? (create ? _usage[(int)meter] = new ScopeUsage(new BudgetKey(BudgetScope.Global, meter)) : null);

    /// <summary>When the first open share returns its units if nobody settles it. Caller holds <see cref="Gate"/>.</summary>
    public DateTimeOffset? EarliestExpiry => _expiries.TryPeek(out _, out var due) ? due : null;

    public void Track(GlobalShare share) => _expiries.Enqueue(share, share.ExpiresAt);

    /// <summary>Returns the units of every share past its expiry. Caller holds <see cref="Gate"/>.</summary>
    public void Sweep(DateTimeOffset now)
    {
        while (_expiries.TryPeek(out var share, out var due) && due <= now)
        {
            _expiries.Dequeue();
            // A share that was extended is queued again under its new expiry; this entry is stale.
            if (share.ExpiresAt <= now)
            {
                Close(share, now);
            }
        }
    }

    /// <summary>Returns a share's held units once. Caller holds <see cref="Gate"/>.</summary>
    public void Close(GlobalShare share, DateTimeOffset now)
    {
        if (share.IsOpen)
        {
            share.IsOpen = false;
            share.Scope.Hold(share.Periods, -share.Units, now, retention);
        }
    }

    /// <summary>Holds more units on an open share (a top-up). Caller holds <see cref="Gate"/>.</summary>
    public void Grow(GlobalShare share, long units, DateTimeOffset now)
    {
        share.Scope.Hold(share.Periods, units, now, retention);
        share.Units = BudgetRules.Add(share.Units, units);
    }
}
