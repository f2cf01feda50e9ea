using System.Collections.Concurrent;
using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// The embedded ledger: exact under any concurrency, with one lock per customer (customers never wait for
/// each other) and one for the global scope, taken only when a global budget or a global share is involved.
/// Lock order is always customer, then global.
/// </summary>
public sealed class InMemoryBudgetLedger : IBudgetLedger
{
    private const string PreflightKeyPrefix = "p:";
    private const string ChargeKeyPrefix = "c:";

    private readonly ConcurrentDictionary<string, CustomerBook> _books = new(StringComparer.Ordinal);
    private readonly GlobalBook _global = new();

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var book = BookOf(call.CustomerId);
        lock (book.Gate)
        {
            Expire(book, call.Now);
            object? fingerprint = call.IdempotencyKey is null ? null : (call.AgentId, call.TaskRef, call.Meter, command.Units);
            if (Replayed<ReserveOutcome>(book, PreflightKeyPrefix, call.IdempotencyKey, fingerprint) is { } replay)
            {
                return new(replay with { IsReplay = true });
            }

            using var global = EnterGlobal(_global.BudgetFor(call.Meter) is not null, call.Now);
            var applicable = Resolve(book, call, global.IsHeld);
            foreach (var entry in applicable)
            {
                var available = entry.Available;
                if (available <= 0 || command.Units > available)
                {
                    var refusal = new ReserveOutcome
                    {
                        Approved = false,
                        Reason = ReasonFor(entry.Counter.Key),
                        RefusedBy = entry.Counter.Key,
                        RemainingUnits = Math.Max(0, available),
                    };
                    Remember(book, PreflightKeyPrefix, call, fingerprint, refusal);
                    return new(refusal);
                }
            }

            if (book.Holds.ContainsKey(command.ReservationId))
            {
                throw new InvalidOperationException($"A hold with id '{command.ReservationId}' is already open.");
            }

            var hold = new Hold(command.ReservationId, call.AgentId, call.TaskRef, call.Meter, command.Units, command.ExpiresAt, book.NextSequence());

            foreach (var entry in applicable)
            {
                entry.Counter.Reserved += command.Units;
                if (entry.Counter.Key.Scope.Kind == BudgetScopeKind.Global)
                {
                    hold.Global = new GlobalShare(entry.Counter, command.Units, command.ExpiresAt);
                    _global.Track(hold.Global);
                }
                else
                {
                    hold.AddEntry(entry.Counter);
                }
            }

            book.Open(hold);
            var outcome = new ReserveOutcome
            {
                Approved = true,
                RemainingUnits = Remaining(applicable),
                ReservationId = hold.Id,
                HeldUnits = hold.Units,
                ExpiresAt = hold.ExpiresAt,
            };
            Remember(book, PreflightKeyPrefix, call, fingerprint, outcome);
            return new(outcome);
        }
    }

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var book = BookOf(command.CustomerId);
        lock (book.Gate)
        {
            Expire(book, command.Now);
            if (!book.Holds.TryGetValue(command.ReservationId, out var hold))
            {
                return new(new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen });
            }

            using var global = EnterGlobal(hold.Global is not null, command.Now);
            if (hold.Global is { IsOpen: false })
            {
                return new(new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen, HeldUnits = hold.Units });
            }

            var applicable = Scratch(book);
            foreach (var held in hold.HeldCounters())
            {
                if (LimitOf(book, held.Key, command.DefaultCustomerBudgets.GetValueOrDefault(hold.Meter)) is not { } limit)
                {
                    continue;
                }

                var available = new Applicable(held, limit).Available;
                if (command.Units > available)
                {
                    return new(new ReserveOutcome
                    {
                        Approved = false,
                        Reason = ReasonFor(held.Key),
                        RefusedBy = held.Key,
                        RemainingUnits = Math.Max(0, available),
                        ReservationId = hold.Id,
                        HeldUnits = hold.Units,
                        ExpiresAt = hold.ExpiresAt,
                    });
                }

                applicable.Add(new Applicable(held, limit));
            }

            foreach (var held in hold.HeldCounters())
            {
                held.Reserved += command.Units;
            }

            hold.Units += command.Units;
            if (hold.Global is { } share)
            {
                share.Units += command.Units;
            }

            Extend(book, hold, command.ExpiresAt);
            return new(new ReserveOutcome
            {
                Approved = true,
                RemainingUnits = Remaining(applicable),
                ReservationId = hold.Id,
                HeldUnits = hold.Units,
                ExpiresAt = hold.ExpiresAt,
            });
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var book = BookOf(command.CustomerId);
        lock (book.Gate)
        {
            Expire(book, command.Now);
            if (!book.Holds.TryGetValue(command.ReservationId, out var hold))
            {
                return new(false);
            }

            using var global = EnterGlobal(hold.Global is not null, command.Now);
            Extend(book, hold, command.ExpiresAt);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var book = BookOf(call.CustomerId);
        lock (book.Gate)
        {
            Expire(book, call.Now);
            object? fingerprint = call.IdempotencyKey is null ? null : (call.AgentId, call.TaskRef, call.Meter, command.Units, command.ReservationId);
            if (Replayed<ChargeOutcome>(book, ChargeKeyPrefix, call.IdempotencyKey, fingerprint) is { } replay)
            {
                return new(replay with { IsReplay = true, Alerts = [] });
            }

            Hold? hold = null;
            if (command.ReservationId is { } reservationId)
            {
                if (book.Tombstones.TryGet(reservationId, call.Now, out var settled))
                {
                    return settled.SettledUnits == command.Units
                        ? new(settled.Replay(reservationId))
                        : throw new IdempotencyConflictException(reservationId);
                }

                book.Holds.TryGetValue(reservationId, out hold);
            }
            else if (command.SettleOldestHold)
            {
                hold = book.OldestHold(call.AgentId, call.Meter);
            }

            using var global = EnterGlobal(hold is not null ? hold.Global is not null : _global.BudgetFor(call.Meter) is not null, call.Now);
            List<Applicable> charged;
            if (hold is not null)
            {
                book.Close(hold);
                charged = Scratch(book);
                foreach (var held in hold.Entries)
                {
                    held.Reserved -= hold.Units;
                    held.Used += command.Units;
                    charged.Add(new Applicable(held, LimitOf(book, held.Key, call.DefaultCustomerBudget)));
                }

                if (hold.Global is { } share)
                {
                    GlobalBook.Close(share);
                    share.Counter.Used += command.Units;
                    charged.Add(new Applicable(share.Counter, LimitOf(book, share.Counter.Key, call.DefaultCustomerBudget)));
                }
            }
            else
            {
                charged = Resolve(book, call, global.IsHeld);
                foreach (var entry in charged)
                {
                    entry.Counter.Used += command.Units;
                }
            }

            var outcome = new ChargeOutcome
            {
                Units = command.Units,
                SettledReservationId = hold?.Id,
                ReleasedUnits = hold?.Units ?? 0,
                IsOverrun = charged.Exists(static entry => entry.Limit is { } limit && entry.Counter.Used > limit),
                RemainingUnits = Remaining(charged),
                Alerts = Alerts(charged, call.AlertThresholds),
            };

            // This store answers at once and is never unreachable, so the client never retries a command: only
            // a settle its caller can repeat needs remembering. A busy store settles far too many holds a
            // second to keep every handle's answer for the retry window.
            if (command.ReservationId is { } settledId && command.CallerMayRepeat)
            {
                book.Tombstones.Add(settledId, Tombstone.Of(outcome, call.RememberUntil));
            }

            Remember(book, ChargeKeyPrefix, call, fingerprint, outcome);
            return new(outcome);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var book = BookOf(command.CustomerId);
        lock (book.Gate)
        {
            Expire(book, command.Now);
            if (!book.Holds.TryGetValue(command.ReservationId, out var hold))
            {
                return new(false);
            }

            book.Close(hold);
            Return(hold, command.Now);
            return new(true);
        }
    }

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        cancellationToken.ThrowIfCancellationRequested();
        if (budget.Key.Scope.Kind == BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                _global.Replace(budget.Key.Meter, budget);
            }
        }
        else
        {
            var book = BookOf(budget.Key.Scope.CustomerId!);
            lock (book.Gate)
            {
                book.Budgets[budget.Key] = budget;
            }
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Scope.Kind == BudgetScopeKind.Global)
        {
            return new(_global.BudgetFor(key.Meter));
        }

        var book = BookOf(key.Scope.CustomerId!);
        lock (book.Gate)
        {
            return new(book.Budgets.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Scope.Kind == BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                return new(_global.Replace(key.Meter, null));
            }
        }

        var book = BookOf(key.Scope.CustomerId!);
        lock (book.Gate)
        {
            return new(book.Budgets.Remove(key));
        }
    }

    /// <inheritdoc />
    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Scope.Kind == BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                _global.Sweep(now);
                return new(_global.Counters.Find(key, periodKey) is { } counter ? Read(counter) : default);
            }
        }

        var book = BookOf(key.Scope.CustomerId!);
        lock (book.Gate)
        {
            Expire(book, now);
            return new(book.Counters.Find(key, periodKey) is { } counter ? Read(counter) : default);
        }
    }

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key.Scope.Kind == BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                ResetCounter(_global.Counters.GetOrCreate(key, periodKey));
            }
        }
        else
        {
            var book = BookOf(key.Scope.CustomerId!);
            lock (book.Gate)
            {
                ResetCounter(book.Counters.GetOrCreate(key, periodKey));
            }
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var book = BookOf(customerId);
        lock (book.Gate)
        {
            Expire(book, now);
            var holds = new List<OpenHold>(book.Holds.Count);
            foreach (var hold in book.Holds.Values)
            {
                holds.Add(new OpenHold(hold.Id, customerId, hold.AgentId, hold.TaskRef, hold.Meter, hold.Units, hold.ExpiresAt));
            }

            return new(holds);
        }
    }

    private CustomerBook BookOf(string customerId) => _books.GetOrAdd(customerId, static _ => new CustomerBook());

    /// <summary>Returns the units of every expired hold of a book. Caller holds the book's lock.</summary>
    private void Expire(CustomerBook book, DateTimeOffset now)
    {
        if (book.TakeExpired(now) is { } expired)
        {
            foreach (var hold in expired)
            {
                Return(hold, now);
            }
        }

        book.Forget(now);
    }

    /// <summary>Returns a closed hold's units to every counter it held. Caller holds the book's lock.</summary>
    private void Return(Hold hold, DateTimeOffset now)
    {
        foreach (var held in hold.Entries)
        {
            held.Reserved -= hold.Units;
        }

        if (hold.Global is { } share)
        {
            using var global = EnterGlobal(true, now);
            GlobalBook.Close(share);
        }
    }

    private void Extend(CustomerBook book, Hold hold, DateTimeOffset expiresAt)
    {
        if (expiresAt <= hold.ExpiresAt)
        {
            return;
        }

        book.Extend(hold, expiresAt);
        if (hold.Global is { IsOpen: true } share)
        {
            share.ExpiresAt = expiresAt;
            _global.Track(share);
        }
    }

    /// <summary>
    /// The budgets that apply to a call, tightest scope first so a refusal names the most specific budget.
    /// Caller holds the book's lock, and the global lock when <paramref name="includeGlobal"/> is set.
    /// </summary>
    private List<Applicable> Resolve(CustomerBook book, LedgerCall call, bool includeGlobal)
    {
        var applicable = Scratch(book);
        if (call.TaskRef is { } taskRef)
        {
            AddIfSet(book, applicable, new BudgetKey(BudgetScope.Task(call.CustomerId, taskRef), call.Meter), call);
        }

        AddIfSet(book, applicable, new BudgetKey(BudgetScope.Agent(call.CustomerId, call.AgentId), call.Meter), call);
        AddIfSet(book, applicable, new BudgetKey(BudgetScope.Customer(call.CustomerId), call.Meter), call);
        if (includeGlobal && _global.BudgetFor(call.Meter) is { } globalBudget)
        {
            var key = globalBudget.Key;
            var periodKey = call.Periods.For(globalBudget.Period);
            applicable.Add(new Applicable(_global.Counters.GetOrCreate(key, periodKey), globalBudget.Limit));
        }

        return applicable;
    }

    private static void AddIfSet(CustomerBook book, List<Applicable> applicable, BudgetKey key, LedgerCall call)
    {
        var (limit, period) = book.Budgets.TryGetValue(key, out var budget)
            ? (budget.Limit, budget.Period)
            : key.Scope.Kind == BudgetScopeKind.Customer && call.DefaultCustomerBudget is { } fallback
                ? (fallback.Limit, fallback.Period)
                : (-1, default);
        if (limit < 0)
        {
            return;
        }

        var periodKey = call.Periods.For(period);
        applicable.Add(new Applicable(book.Counters.GetOrCreate(key, periodKey), limit));
    }

    private long? LimitOf(CustomerBook book, BudgetKey key, BudgetLimit? defaultCustomerBudget) => key.Scope.Kind switch
    {
        BudgetScopeKind.Global => _global.BudgetFor(key.Meter)?.Limit,
        _ when book.Budgets.TryGetValue(key, out var budget) => budget.Limit,
        BudgetScopeKind.Customer => defaultCustomerBudget?.Limit,
        _ => null,
    };

    private static RefusalReason ReasonFor(BudgetKey key)
        => key.Scope.Kind == BudgetScopeKind.Task ? RefusalReason.TaskCeilingExceeded : RefusalReason.BudgetExhausted;

    private static long? Remaining(List<Applicable> entries)
    {
        long? remaining = null;
        foreach (var entry in entries)
        {
            if (entry.Limit is { } limit)
            {
                var left = Math.Max(0, limit - entry.Counter.Used - entry.Counter.Reserved);
                remaining = remaining is { } tightest ? Math.Min(tightest, left) : left;
            }
        }

        return remaining;
    }

    private static IReadOnlyList<BudgetAlert> Alerts(List<Applicable> charged, IReadOnlyList<int> thresholds)
    {
        List<BudgetAlert>? alerts = null;
        foreach (var entry in charged)
        {
            if (entry.Limit is not { } limit)
            {
                continue;
            }

            var counter = entry.Counter;
            foreach (var threshold in thresholds)
            {
                if (threshold > counter.AlertedPercent && ThresholdMath.Reached(counter.Used, limit, threshold))
                {
                    counter.AlertedPercent = threshold;
                    (alerts ??= []).Add(new BudgetAlert(counter.Key, counter.PeriodKey, threshold, counter.Used, limit));
                }
            }
        }

        // Array.Empty, not [] (which would be a new List here): a charge that raises nothing allocates nothing.
        return alerts is null ? Array.Empty<BudgetAlert>() : alerts;
    }

    private static T? Replayed<T>(CustomerBook book, string prefix, string? idempotencyKey, object? fingerprint)
        where T : struct
    {
        if (idempotencyKey is null || !book.Idempotency.TryGetValue(prefix + idempotencyKey, out var entry))
        {
            return null;
        }

        return entry.Fingerprint.Equals(fingerprint) ? (T)entry.Outcome : throw new IdempotencyConflictException(idempotencyKey);
    }

    // Generic so an outcome is boxed only when it is remembered, not on every call.
    private static void Remember<T>(CustomerBook book, string prefix, in LedgerCall call, object? fingerprint, T outcome)
        where T : struct
    {
        if (call.IdempotencyKey is { } key && fingerprint is not null)
        {
            book.Remember(prefix + key, new IdempotencyEntry(fingerprint, outcome, call.RememberUntil));
        }
    }

    private static LedgerUsage Read(Counter counter) => new(counter.Used, counter.Reserved);

    private static void ResetCounter(Counter counter)
    {
        counter.Used = 0;
        counter.AlertedPercent = 0;
    }

    private GlobalLock EnterGlobal(bool needed, DateTimeOffset now)
    {
        if (!needed)
        {
            return default;
        }

        Monitor.Enter(_global.Gate);
        _global.Sweep(now);
        return new GlobalLock(_global.Gate);
    }

    private static List<Applicable> Scratch(CustomerBook book)
    {
        book.Scratch.Clear();
        return book.Scratch;
    }

    /// <summary>A budget's counter that an operation checks or charges, with the budget's limit if it has one.</summary>
    internal readonly record struct Applicable(Counter Counter, long? Limit)
    {
        /// <summary>What is left to hold; only meaningful for entries with a limit.</summary>
        public long Available => Limit.GetValueOrDefault() - Counter.Used - Counter.Reserved;
    }

    /// <summary>Releases the global lock when an operation that needed it ends.</summary>
    private readonly ref struct GlobalLock(object gate)
    {
        public bool IsHeld => gate is not null;

        public void Dispose()
        {
            if (gate is not null)
            {
                Monitor.Exit(gate);
            }
        }
    }
}
