using System.Collections.Concurrent;
using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// The embedded ledger: exact under any concurrency, with one lock per customer (customers never wait for
/// each other) and one for the global scope, taken only when a global budget or a global share is involved.
/// Lock order is always customer, then global. The decisions are <see cref="BudgetRules"/>'; this type only keeps
/// the numbers. Usage is metered for every customer, agent and task in every period kind, budget or not, and
/// kept for <see cref="InMemoryBudgetLedgerOptions.UsageRetention"/> after it last changed.
/// </summary>
public sealed partial class InMemoryBudgetLedger : IBudgetLedger, IBudgetLedgerReports
{
    private const string PreflightKeyPrefix = "p:";
    private const string ChargeKeyPrefix = "c:";

    private readonly ConcurrentDictionary<string, CustomerBook> _books = new(StringComparer.Ordinal);
    private readonly GlobalBook _global;
    private readonly IdleBookQueue _idle = new();
    private readonly TimeSpan _retention;

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">The retention is not positive.</exception>
    public InMemoryBudgetLedger(InMemoryBudgetLedgerOptions? options = null)
    {
        options ??= new InMemoryBudgetLedgerOptions();
        var retention = options.UsageRetention;
        if (retention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), retention, $"'{nameof(InMemoryBudgetLedgerOptions.UsageRetention)}' must be positive.");
        }

        _retention = retention;
        _global = new GlobalBook(retention);
        _time = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets how many customers the ledger keeps a book for: memory follows this number.</summary>
    internal int CustomerCount => _books.Count;

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        using var entered = Enter(call.CustomerId, call.Now);
        var book = entered.Book!;
        Expire(book, call.Now);
        LedgerFingerprint? fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command);
        if (Replayed<ReserveOutcome>(book, PreflightKeyPrefix, call.IdempotencyKey, fingerprint) is { } replay)
        {
            return new(replay with { IsReplay = true });
        }

        using var global = EnterGlobal(_global.BudgetFor(call.Meter) is not null, call.Now);
        var scopes = BudgetRules.ScopesOf(call);
        var applicable = Resolve(book, scopes, call.Periods, call.DefaultCustomerBudget, global.IsHeld);
        foreach (var entry in applicable)
        {
            var available = entry.Available(call.Now, _retention);
            if (!BudgetRules.Fits(available, command.Units))
            {
                var refusal = new ReserveOutcome
                {
                    Approved = false,
                    Reason = BudgetRules.ReasonFor(entry.Scope.Key),
                    Refusal = Refusal(book, entry, call.Now),
                    RemainingUnits = Math.Max(0, available),
                };
                Refused(book, call.Now, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
                Remember(book, PreflightKeyPrefix, call, fingerprint, refusal);
                return new(refusal);
            }
        }

        // The cap on open holds, checked after the budgets, whose refusal says more (whether waiting helps).
        if (book.HoldCount >= BudgetRules.MaxOpenHoldsPerCustomer)
        {
            var refusal = new ReserveOutcome { Approved = false, Reason = RefusalReason.TooManyOpenHolds };
            Refused(book, call.Now, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
            Remember(book, PreflightKeyPrefix, call, fingerprint, refusal);
            return new(refusal);
        }

        if (book.HasHold(command.ReservationId))
        {
            throw new InvalidOperationException($"A hold with id '{command.ReservationId}' is already open.");
        }

        var hold = new Hold(command.ReservationId, command.Units, command.ExpiresAt, book.NextSequence(), call.Periods)
        {
            Customer = book.UsageOf(scopes.Customer, create: true)!,
            Agent = book.UsageOf(scopes.Agent, create: true)!,
            Task = scopes.Task is { } task ? book.UsageOf(task, create: true) : null,
        };
        hold.HoldOnScopes(command.Units, call.Now, _retention);
        foreach (var entry in applicable)
        {
            if (entry.Scope.Key.Scope.Kind == BudgetScopeKind.Global)
            {
                hold.Global = new GlobalShare(entry.Scope, 0, command.ExpiresAt, call.Periods);
                _global.Grow(hold.Global, command.Units, call.Now);
                _global.Track(hold.Global);
            }
        }

        book.Open(hold);
        Interlocked.Increment(ref _approved);
        var outcome = new ReserveOutcome
        {
            Approved = true,
            RemainingUnits = Remaining(applicable, call.Now),
            ReservationId = hold.Id,
            HeldUnits = hold.Units,
            ExpiresAt = hold.ExpiresAt,
        };
        Remember(book, PreflightKeyPrefix, call, fingerprint, outcome);
        return new(outcome);
    }

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var entered = Enter(command.CustomerId, command.Now);
        var book = entered.Book!;
        Expire(book, command.Now);
        if (!book.TryGetHold(command.ReservationId, out var hold))
        {
            return new(new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen });
        }

        using var global = EnterGlobal(hold.Global is not null, command.Now);
        if (hold.Global is { IsOpen: false })
        {
            return new(new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen, HeldUnits = hold.Units });
        }

        // The budgets that apply to the hold's scopes now, in the periods it was approved in; the global one only
        // when the hold holds a share of it.
        var scopes = new CallScopes(command.CustomerId, hold.AgentId, hold.TaskRef, hold.Meter);
        var fallback = command.DefaultCustomerBudgets.GetValueOrDefault(hold.Meter);
        var applicable = Resolve(book, scopes, hold.Periods, fallback, hold.Global is not null && global.IsHeld);
        foreach (var entry in applicable)
        {
            var available = entry.Available(command.Now, _retention);
            if (command.Units > available)
            {
                var refusal = new ReserveOutcome
                {
                    Approved = false,
                    Reason = BudgetRules.ReasonFor(entry.Scope.Key),
                    Refusal = Refusal(book, entry, command.Now),
                    RemainingUnits = Math.Max(0, available),
                    ReservationId = hold.Id,
                    HeldUnits = hold.Units,
                    ExpiresAt = hold.ExpiresAt,
                };
                Refused(book, command.Now, hold.AgentId, hold.TaskRef, hold.Meter, refusal, command.Units);
                return new(refusal);
            }
        }

        hold.HoldOnScopes(command.Units, command.Now, _retention);
        if (hold.Global is { } share)
        {
            _global.Grow(share, command.Units, command.Now);
        }

        hold.Units = BudgetRules.Add(hold.Units, command.Units);
        Extend(book, hold, command.ExpiresAt);
        Interlocked.Increment(ref _approved);
        return new(new ReserveOutcome
        {
            Approved = true,
            RemainingUnits = Remaining(applicable, command.Now),
            ReservationId = hold.Id,
            HeldUnits = hold.Units,
            ExpiresAt = hold.ExpiresAt,
        });
    }

    /// <inheritdoc />
    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var entered = Enter(command.CustomerId, command.Now);
        var book = entered.Book!;
        Expire(book, command.Now);
        if (!book.TryGetHold(command.ReservationId, out var hold))
        {
            return new(false);
        }

        using var global = EnterGlobal(hold.Global is not null, command.Now);
        Extend(book, hold, command.ExpiresAt);
        return new(true);
    }

    /// <inheritdoc />
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        using var entered = Enter(call.CustomerId, call.Now);
        var book = entered.Book!;
        Expire(book, call.Now);
        LedgerFingerprint? fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command);
        if (Replayed<ChargeOutcome>(book, ChargeKeyPrefix, call.IdempotencyKey, fingerprint) is { } replay)
        {
            return new(replay with { IsReplay = true, Alerts = [] });
        }

        Hold? hold = null;
        if (command.ReservationId is { } reservationId)
        {
            // An open hold first: a record that named an id before its hold existed can never decide what settling
            // that hold does. A hold already settled replays; neither open nor settled (expired, released, or never
            // made) is charged directly, and remembered.
            if (book.TryGetHold(reservationId, out var open))
            {
                if (!BudgetRules.SettleAgrees(call, open.Meter, open.AgentId, open.TaskRef))
                {
                    throw BudgetRules.SettleMismatch(reservationId, open.Meter, open.AgentId, open.TaskRef);
                }

                hold = open;
            }
            else if (book.TryGetTombstone(reservationId, call.Now, out var settled))
            {
                return settled.IsRepeatedBy(command)
                    ? new(settled.Replay(reservationId))
                    : throw new IdempotencyConflictException(reservationId);
            }
        }
        else if (command.SettleOldestHold)
        {
            hold = book.OldestHold(call.AgentId, call.Meter, call.TaskRef);
        }

        using var global = EnterGlobal(hold is not null ? hold.Global is not null : _global.BudgetFor(call.Meter) is not null, call.Now);
        List<Applicable> charged;
        var saturated = false;
        if (hold is not null)
        {
            book.Close(hold);
            hold.HoldOnScopes(-hold.Units, call.Now, _retention);
            saturated |= hold.Customer.Charge(hold.Periods, command.Units, call.Now, _retention);
            saturated |= hold.Agent.Charge(hold.Periods, command.Units, call.Now, _retention);
            saturated |= hold.Task?.Charge(hold.Periods, command.Units, call.Now, _retention) ?? false;
            if (hold.Global is { } share)
            {
                _global.Close(share, call.Now);
                saturated |= share.Scope.Charge(hold.Periods, command.Units, call.Now, _retention);
            }

            var scopes = new CallScopes(call.CustomerId, hold.AgentId, hold.TaskRef, hold.Meter);
            charged = Resolve(book, scopes, hold.Periods, call.DefaultCustomerBudget, hold.Global is not null && global.IsHeld);
        }
        else
        {
            var scopes = BudgetRules.ScopesOf(call);
            saturated |= book.UsageOf(scopes.Customer, create: true)!.Charge(call.Periods, command.Units, call.Now, _retention);
            saturated |= book.UsageOf(scopes.Agent, create: true)!.Charge(call.Periods, command.Units, call.Now, _retention);
            if (scopes.Task is { } task)
            {
                saturated |= book.UsageOf(task, create: true)!.Charge(call.Periods, command.Units, call.Now, _retention);
            }

            if (global.IsHeld)
            {
                saturated |= _global.UsageOf(call.Meter, create: true)!.Charge(call.Periods, command.Units, call.Now, _retention);
            }

            charged = Resolve(book, scopes, call.Periods, call.DefaultCustomerBudget, global.IsHeld);
        }

        var outcome = new ChargeOutcome
        {
            Units = command.Units,
            SettledReservationId = hold?.Id,
            ReleasedUnits = hold?.Units ?? 0,
            IsOverrun = IsOverrun(charged, call.Now),
            IsSaturated = saturated,
            RemainingUnits = Remaining(charged, call.Now),
            Alerts = Alerts(book, charged, call.AlertThresholds, call.Now),
        };

        // Every settle of a named hold, by a handle or a record, is remembered for the whole window: a queue that
        // redelivers the record an hour later, or a record naming a hold its handle already committed, replays.
        if (command.ReservationId is { } settledId && call.RememberUntil > call.Now)
        {
            book.Tombstones.Add(settledId, Tombstone.Of(command, outcome, call.RememberUntil));
        }

        Remember(book, ChargeKeyPrefix, call, fingerprint, outcome);
        return new(outcome);
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var entered = Enter(command.CustomerId, command.Now);
        var book = entered.Book!;
        Expire(book, command.Now);
        if (!book.TryGetHold(command.ReservationId, out var hold))
        {
            return new(false);
        }

        book.Close(hold);
        Return(hold, command.Now);
        return new(true);
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
            using var entered = Enter(budget.Key.Scope.CustomerId!, now: null);
            entered.Book!.SetBudget(budget);
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

        using var entered = EnterIfKnown(key.Scope.CustomerId!);
        return new(entered.Book?.BudgetOf(key));
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

        using var entered = EnterIfKnown(key.Scope.CustomerId!);
        return new(entered.Book?.RemoveBudget(key) ?? false);
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
                return new(Read(_global.UsageOf(key.Meter, create: false), periodKey));
            }
        }

        using var entered = EnterIfKnown(key.Scope.CustomerId!);
        if (entered.Book is not { } book)
        {
            return new(default(LedgerUsage));
        }

        Expire(book, now);
        return new(Read(book.UsageOf(key, create: false), periodKey));
    }

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var kind = PeriodKeys.KindOf(periodKey);
        if (key.Scope.Kind == BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                Reset(ref _global.UsageOf(key.Meter, create: true)!.At(kind, periodKey, DateTimeOffset.MinValue, _retention));
            }
        }
        else
        {
            using var entered = EnterIfKnown(key.Scope.CustomerId!);
            if (entered.Book?.UsageOf(key, create: false) is { } usage)
            {
                Reset(ref usage.At(kind, periodKey, DateTimeOffset.MinValue, _retention));
            }
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var entered = EnterIfKnown(customerId);
        if (entered.Book is not { } book)
        {
            return new(Array.Empty<OpenHold>());
        }

        Expire(book, now);
        var holds = new List<OpenHold>(book.HoldCount);
        foreach (var hold in book.Holds)
        {
            holds.Add(new OpenHold(hold.Id, customerId, hold.AgentId, hold.TaskRef, hold.Meter, hold.Units, hold.ExpiresAt));
        }

        return new(holds);
    }

    /// <summary>
    /// Takes a customer's book, made when absent, under its lock, after dropping a few idle books. A book the idle
    /// queue removed meanwhile is left for the one that replaced it. <paramref name="now"/> marks the book active.
    /// </summary>
    private BookLock Enter(string customerId, DateTimeOffset? now)
    {
        if (now is { } trimAt)
        {
            _idle.Trim(_books, trimAt, _retention);
        }

        while (true)
        {
            var book = _books.GetOrAdd(customerId, static id => new CustomerBook(id));
            Monitor.Enter(book);
            if (!book.Removed)
            {
                if (now is { } activeAt)
                {
                    book.LastActivity = activeAt;
                    _idle.Watch(book, activeAt, _retention);
                }
                else if (!book.InIdleQueue)
                {
                    // Made by an admin call, which carries no time: it waits for the next operation's time to be judged.
                    book.LastActivity = DateTimeOffset.MinValue;
                }

                return new BookLock(book);
            }

            Monitor.Exit(book);
        }
    }

    /// <summary>Takes a customer's book under its lock when it exists: reads never make a book.</summary>
    private BookLock EnterIfKnown(string customerId)
    {
        while (_books.TryGetValue(customerId, out var book))
        {
            Monitor.Enter(book);
            if (!book.Removed)
            {
                return new BookLock(book);
            }

            Monitor.Exit(book);
        }

        return default;
    }

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

    /// <summary>Returns a closed hold's units to every budget it held. Caller holds the book's lock.</summary>
    private void Return(Hold hold, DateTimeOffset now)
    {
        hold.HoldOnScopes(-hold.Units, now, _retention);
        if (hold.Global is { } share)
        {
            using var global = EnterGlobal(true, now);
            _global.Close(share, now);
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
    /// The budgets that apply to a call's scopes, most specific first (<see cref="BudgetRules.ScopesOf"/>), so a
    /// refusal names the most specific budget. Caller holds the book's lock, and the global lock when
    /// <paramref name="includeGlobal"/> is set.
    /// </summary>
    private List<Applicable> Resolve(CustomerBook book, in CallScopes scopes, in PeriodKeys periods, BudgetLimit? defaultCustomerBudget, bool includeGlobal)
    {
        var applicable = Scratch(book);
        if (scopes.Task is { } task)
        {
            AddIfBudgeted(book, applicable, task, periods, null);
        }

        AddIfBudgeted(book, applicable, scopes.Agent, periods, null);
        AddIfBudgeted(book, applicable, scopes.Customer, periods, defaultCustomerBudget);
        if (includeGlobal && _global.BudgetFor(scopes.Meter) is { } globalBudget)
        {
            applicable.Add(new Applicable(_global.UsageOf(scopes.Meter, create: true)!, globalBudget.Period, periods.For(globalBudget.Period), globalBudget.Limit));
        }

        return applicable;
    }

    private static void AddIfBudgeted(CustomerBook book, List<Applicable> applicable, BudgetKey key, in PeriodKeys periods, BudgetLimit? defaultCustomerBudget)
    {
        if (BudgetRules.TryGetLimit(key, book.BudgetOf(key), defaultCustomerBudget, out var limit, out var period))
        {
            applicable.Add(new Applicable(book.UsageOf(key, create: true)!, period, periods.For(period), limit));
        }
    }

    /// <summary>The refusing budget as it stands, with the first hold that may free it. Caller holds the locks the entry needs.</summary>
    private BudgetRefusal Refusal(CustomerBook book, in Applicable entry, DateTimeOffset now)
        => new(
            entry.Scope.Key,
            entry.Period,
            entry.Limit,
            entry.Counter(now, _retention).Used,
            entry.Counter(now, _retention).Reserved,
            entry.Scope.Key.Scope.Kind == BudgetScopeKind.Global ? _global.EarliestExpiry : book.EarliestHoldExpiry);

    private long? Remaining(List<Applicable> entries, DateTimeOffset now)
    {
        long? tightest = null;
        foreach (var entry in entries)
        {
            tightest = BudgetRules.Tightest(tightest, entry.Available(now, _retention));
        }

        return tightest;
    }

    private bool IsOverrun(List<Applicable> entries, DateTimeOffset now)
    {
        foreach (var entry in entries)
        {
            if (entry.Counter(now, _retention).Used > entry.Limit)
            {
                return true;
            }
        }

        return false;
    }

    private IReadOnlyList<BudgetAlert> Alerts(CustomerBook book, List<Applicable> charged, IReadOnlyList<int> thresholds, DateTimeOffset now)
    {
        List<BudgetAlert>? alerts = null;
        var crossed = book.CrossedThresholds;
        foreach (var entry in charged)
        {
            ref var counter = ref entry.Counter(now, _retention);
            crossed.Clear();
            counter.Alerted = BudgetRules.CrossThresholds(counter.Used, entry.Limit, counter.Alerted, thresholds, crossed);
            foreach (var threshold in crossed)
            {
                (alerts ??= []).Add(new BudgetAlert(entry.Scope.Key, entry.PeriodKey, threshold, counter.Used, entry.Limit));
            }
        }

        // Array.Empty, not [] (which would be a new List here): a charge that raises nothing allocates nothing.
        return alerts is null ? Array.Empty<BudgetAlert>() : alerts;
    }

    private static T? Replayed<T>(CustomerBook book, string prefix, string? idempotencyKey, LedgerFingerprint? fingerprint)
        where T : struct
    {
        if (idempotencyKey is null || !book.TryRecall(prefix + idempotencyKey, out var entry))
        {
            return null;
        }

        return entry.Fingerprint == fingerprint ? (T)entry.Outcome : throw new IdempotencyConflictException(idempotencyKey);
    }

    // Generic so an outcome is boxed only when it is remembered, not on every call.
    private static void Remember<T>(CustomerBook book, string prefix, in LedgerCall call, LedgerFingerprint? fingerprint, T outcome)
        where T : struct
    {
        if (call.IdempotencyKey is { } key && fingerprint is { } print)
        {
            book.Remember(prefix + key, new IdempotencyEntry(print, outcome, call.RememberUntil));
        }
    }

    private static LedgerUsage Read(ScopeUsage? usage, string periodKey)
    {
        if (usage is null)
        {
            return default;
        }

        var counter = usage.Read(periodKey);
        return new LedgerUsage(counter.Used, counter.Reserved);
    }

    private static void Reset(ref PeriodCounter counter)
    {
        counter.Used = 0;
        counter.Alerted = 0;
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

    /// <summary>A budget an operation checks or charges: the scope's usage, the budget's period and its limit.</summary>
    internal readonly record struct Applicable(ScopeUsage Scope, BudgetPeriod Period, string PeriodKey, long Limit)
    {
        /// <summary>The counter of the budget's period.</summary>
        public ref PeriodCounter Counter(DateTimeOffset now, TimeSpan retention) => ref Scope.At(Period, PeriodKey, now, retention);

        /// <summary>What the budget can still hold: its limit less its period's usage and what the open holds approved in its period hold.</summary>
        public long Available(DateTimeOffset now, TimeSpan retention)
        {
            ref var counter = ref Counter(now, retention);
            return BudgetRules.Available(Limit, counter.Used, counter.Reserved);
        }
    }

    /// <summary>A customer book's lock, held until the operation ends.</summary>
    private readonly ref struct BookLock(CustomerBook book)
    {
        public CustomerBook? Book => book;

        public void Dispose()
        {
            if (book is not null)
            {
                Monitor.Exit(book);
            }
        }
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
