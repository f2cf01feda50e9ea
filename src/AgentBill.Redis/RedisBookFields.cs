using System.Globalization;
using AgentBill.Ledger;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Reads what the reports need from a customer's (or the global scope's) hash as stored: usage rows from the
/// <c>P</c> packed counters of each scope and the <c>u</c> and <c>r</c> fields of other periods, budgets from the
/// <c>B</c> fields, refusals from the <c>R</c> ring.
/// </summary>
internal static class RedisBookFields
{
    /// <summary>The usage rows of one hash, sorted; a row with nothing used or held is left out.</summary>
    public static List<UsageReportRow> Rows(HashEntry[] entries, string? customerId)
    {
        var counters = new Dictionary<(BudgetKey Key, string Period), (long Used, long Reserved)>();
        foreach (var entry in entries)
        {
            var field = Wtf8.Decode((byte[])entry.Name!);
            if (field.Length > 2 && field[0] == 'P' && field[1] == RedisKeys.PartSeparator)
            {
                AddPacked(counters, KeyOf(field[2..], customerId), (string)entry.Value!);
                continue;
            }

            if (field.Length < 2 || field[1] != RedisKeys.PartSeparator || field[0] is not ('u' or 'r'))
            {
                continue;
            }

            var entrySplit = field.IndexOf(RedisKeys.EntrySeparator, StringComparison.Ordinal);
            if (entrySplit < 0)
            {
                continue; // a hold of before per-period holds: its units are in no period's row
            }

            var position = (KeyOf(field[2..entrySplit], customerId), field[(entrySplit + 1)..]);
            var units = long.Parse((string)entry.Value!, CultureInfo.InvariantCulture);
            // Added, not set: a period's own fields and the packed field hold it apart only while a version before the
            // packed layout writes beside this one (counters.lua folds them together at the scope's next roll).
            var counter = counters.GetValueOrDefault(position);
            counters[position] = field[0] == 'u' ? (counter.Used + units, counter.Reserved) : (counter.Used, counter.Reserved + units);
        }

        var rows = counters
            .Where(static c => c.Value.Used != 0 || c.Value.Reserved != 0)
            .Select(static c => new UsageReportRow(c.Key.Key, c.Key.Period, c.Value.Used, c.Value.Reserved))
            .ToList();
        rows.Sort(ReportRules.Compare);
        return rows;
    }

    /// <summary>
    /// A scope's packed counters (Scripts/Library/counters.lua): its day, week and month, then used and reserved of
    /// the lifetime total, that day, that week and that month; one row each.
    /// </summary>
    private static void AddPacked(Dictionary<(BudgetKey Key, string Period), (long Used, long Reserved)> counters, BudgetKey key, string value)
    {
        var parts = value.Split(RedisKeys.FieldSeparator);
        for (var slot = 0; slot < 4; slot++)
        {
            var period = slot == 0 ? PeriodKeys.Lifetime : parts[slot - 1];
            var counter = counters.GetValueOrDefault((key, period));
            counters[(key, period)] = (
                counter.Used + long.Parse(parts[3 + (2 * slot)], CultureInfo.InvariantCulture),
                counter.Reserved + long.Parse(parts[4 + (2 * slot)], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The budgets of one hash, sorted.</summary>
    public static List<Budget> Budgets(HashEntry[] entries, string? customerId)
    {
        var budgets = new List<Budget>();
        foreach (var entry in entries)
        {
            var field = Wtf8.Decode((byte[])entry.Name!);
            if (field.Length > 2 && field[0] == 'B' && field[1] == RedisKeys.PartSeparator)
            {
                var key = KeyOf(field[2..], customerId);
                var parts = ((string)entry.Value!).Split(RedisKeys.FieldSeparator);
                budgets.Add(new Budget(key.Scope, key.Meter, long.Parse(parts[0], CultureInfo.InvariantCulture), (BudgetPeriod)int.Parse(parts[1], CultureInfo.InvariantCulture)));
            }
        }

        budgets.Sort(static (x, y) => ReportRules.Compare(x.Key, y.Key));
        return budgets;
    }

    /// <summary>The refusal count, then every slot of the refusal ring: read in one <c>HMGET</c>, so the count and the ring agree.</summary>
    public static RedisValue[] RefusalFields { get; } =
    [
        RedisKeys.Wire("#r"),
        .. Enumerable.Range(0, ReportRules.RefusalsKeptPerCustomer).Select(static slot => RedisKeys.Wire("R" + RedisKeys.PartSeparator + slot.ToString(CultureInfo.InvariantCulture))),
    ];

    /// <summary>The newest refusals of a ring read with <see cref="RefusalFields"/>, newest first.</summary>
    public static List<RefusalRecord> Refusals(RedisValue[] values, string customerId, int limit)
    {
        var refused = values[0].IsNull ? 0 : long.Parse((string)values[0]!, CultureInfo.InvariantCulture);
        var count = (int)Math.Min(Math.Min(refused, ReportRules.RefusalsKeptPerCustomer), limit);
        var refusals = new List<RefusalRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var value = values[1 + (int)((refused - i) % ReportRules.RefusalsKeptPerCustomer)];
            if (!value.IsNull)
            {
                refusals.Add(Refusal(value, customerId));
            }
        }

        return refusals;
    }

    /// <summary>One logged refusal: at, agent, task, meter, reason, kind, name, units, remaining.</summary>
    private static RefusalRecord Refusal(RedisValue value, string customerId)
    {
        var f = Wtf8.Decode((byte[])value!).Split(RedisKeys.FieldSeparator);
        BudgetScope? scope = f[5].Length == 0 ? null : RedisKeys.ParseBudgetKey(f[5], f[3], f[6], customerId).Scope;
        return new RefusalRecord(
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[0], CultureInfo.InvariantCulture)),
            customerId,
            f[1],
            f[2].Length == 0 ? null : f[2],
            (UsageMeter)int.Parse(f[3], CultureInfo.InvariantCulture),
            (RefusalReason)int.Parse(f[4], CultureInfo.InvariantCulture),
            scope,
            long.Parse(f[7], CultureInfo.InvariantCulture),
            f[8].Length == 0 ? null : long.Parse(f[8], CultureInfo.InvariantCulture));
    }

    /// <summary>A scope field (kind, meter, and for agents and tasks the name) as a budget key.</summary>
    private static BudgetKey KeyOf(string scopeField, string? customerId)
    {
        var parts = scopeField.Split(RedisKeys.IdSeparator, 3);
        return RedisKeys.ParseBudgetKey(parts[0], parts[1], parts.Length > 2 ? parts[2] : string.Empty, customerId ?? string.Empty);
    }
}
