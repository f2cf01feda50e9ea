using System.Runtime.InteropServices;
using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// Usage of one scope and meter in every period kind at once: the lifetime total and the current day, week and
/// month live inline (a charge touches four numbers and allocates nothing); a period that has passed moves to a
/// table of past periods, made on the first rollover and pruned of periods untouched for the retention. What open
/// holds hold is one number for the scope, whatever period they were approved in: every budget of the scope
/// counts it. Guarded by the lock of the book that owns it.
/// </summary>
internal sealed class ScopeUsage(BudgetKey key)
{
    private PeriodCounter _lifetime;
    private PeriodCounter _day;
    private PeriodCounter _week;
    private PeriodCounter _month;
    private Dictionary<string, PeriodCounter>? _past;

    public BudgetKey Key { get; } = key;

    /// <summary>
    /// The counter of one period, made when absent. A slot asked for a later period than the one it holds moves
    /// that one to the past table (period names of one kind sort by time); an earlier period, such as the one a
    /// hold approved before a rollover is settled in, is found or made in that table.
    /// </summary>
    public ref PeriodCounter At(BudgetPeriod kind, string periodKey, DateTimeOffset now, TimeSpan retention)
    {
        ref var slot = ref Slot(kind);
        if (slot.Key is null)
        {
            slot.Key = periodKey;
            return ref slot;
        }

        if (string.Equals(slot.Key, periodKey, StringComparison.Ordinal))
        {
            return ref slot;
        }

        if (string.CompareOrdinal(periodKey, slot.Key) > 0)
        {
            Retire(slot, now, retention);
            slot = new PeriodCounter { Key = periodKey };
            return ref slot;
        }

        ref var past = ref CollectionsMarshal.GetValueRefOrAddDefault(_past ??= new(StringComparer.Ordinal), periodKey, out _);
        past.Key = periodKey;
        return ref past;
    }

    /// <summary>
    /// Holds units for an open hold in the lifetime total and in the day, week and month it was approved in
    /// (<paramref name="periods"/>), or (negative) gives them back there.
    /// </summary>
    public void Hold(in PeriodKeys periods, long units, DateTimeOffset now, TimeSpan retention)
    {
        Reserve(ref At(BudgetPeriod.Lifetime, PeriodKeys.Lifetime, now, retention), units);
        Reserve(ref At(BudgetPeriod.Day, periods.Day, now, retention), units);
        Reserve(ref At(BudgetPeriod.Week, periods.Week, now, retention), units);
        Reserve(ref At(BudgetPeriod.Month, periods.Month, now, retention), units);
    }

    /// <summary>Counts usage in the lifetime total and in the day, week and month of <paramref name="periods"/>.</summary>
    /// <returns>Whether a counter saturated at <see cref="BudgetRules.MaxTotal"/> and stored less than the sum.</returns>
    public bool Charge(in PeriodKeys periods, long units, DateTimeOffset now, TimeSpan retention)
        => Add(ref At(BudgetPeriod.Lifetime, PeriodKeys.Lifetime, now, retention), units, now)
            | Add(ref At(BudgetPeriod.Day, periods.Day, now, retention), units, now)
            | Add(ref At(BudgetPeriod.Week, periods.Week, now, retention), units, now)
            | Add(ref At(BudgetPeriod.Month, periods.Month, now, retention), units, now);

    /// <summary>Reads one period's counter without making it.</summary>
    public PeriodCounter Read(string periodKey)
    {
        foreach (var kind in Kinds)
        {
            ref var slot = ref Slot(kind);
            if (string.Equals(slot.Key, periodKey, StringComparison.Ordinal))
            {
                return slot;
            }
        }

        return _past is not null && _past.TryGetValue(periodKey, out var past) ? past : default;
    }

    /// <summary>Every period the scope still keeps, in no order.</summary>
    public List<PeriodCounter> Periods()
    {
        var periods = new List<PeriodCounter>(4 + (_past?.Count ?? 0));
        foreach (var kind in Kinds)
        {
            var slot = Slot(kind);
            if (slot.Key is not null)
            {
                periods.Add(slot);
            }
        }

        if (_past is not null)
        {
            periods.AddRange(_past.Values);
        }

        return periods;
    }

    private static readonly BudgetPeriod[] Kinds = [BudgetPeriod.Lifetime, BudgetPeriod.Day, BudgetPeriod.Week, BudgetPeriod.Month];

    private static void Reserve(ref PeriodCounter counter, long units)
        => counter.Reserved = units >= 0 ? BudgetRules.Add(counter.Reserved, units) : BudgetRules.Subtract(counter.Reserved, -units);

    private static bool Add(ref PeriodCounter counter, long units, DateTimeOffset now)
    {
        var saturated = units > BudgetRules.MaxTotal - counter.Used;
        counter.Used = BudgetRules.Add(counter.Used, units);
        counter.Touched = now;
        return saturated;
    }

    private ref PeriodCounter Slot(BudgetPeriod kind)
    {
        switch (kind)
        {
            case BudgetPeriod.Day:
                return ref _day;
            case BudgetPeriod.Week:
                return ref _week;
            case BudgetPeriod.Month:
                return ref _month;
            default:
                return ref _lifetime;
        }
    }

    /// <summary>Keeps a passed period readable, and drops past periods nobody touched for the retention.</summary>
    private void Retire(in PeriodCounter passed, DateTimeOffset now, TimeSpan retention)
    {
        if (_past is not null)
        {
            List<string>? stale = null;
            foreach (var (name, counter) in _past)
            {
                // A past period that still has open holds keeps its counter until they close.
                if (counter.Reserved == 0 && now - counter.Touched > retention)
                {
                    (stale ??= []).Add(name);
                }
            }

            if (stale is not null)
            {
                foreach (var name in stale)
                {
                    _past.Remove(name);
                }
            }
        }

        if (passed.Reserved != 0 || (!passed.IsEmpty && now - passed.Touched <= retention))
        {
            (_past ??= new(StringComparer.Ordinal))[passed.Key!] = passed;
        }
    }
}
