using System.Data.Common;
using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>
/// The reports of the SQL stores, each one transaction reading one page from a primary key or an index: usage rows
/// and budgets in their tables' key order (customer, kind, name, meter, period, texts compared byte by byte), the
/// cursor naming the last key. Refusals are a table capped per customer, written in the refusing transaction; its
/// ids only grow, so the newest across customers are read exactly from its key. Activity is counted in the deciding
/// transactions.
/// </summary>
internal static class LedgerReportQueries
{
    private const string RefusalColumns = "SELECT customer, at, agent, task, meter, reason, scope_kind, scope_name, requested, remaining FROM agentbill_refusals";

    public static async ValueTask<UsageReportPage> UsageAsync(LedgerTransaction tx, (UsageReportQuery Query, UsageReportRow? After, int Limit) read)
    {
        var (query, after, limit) = read;
        var from = after is { } row
            ? (ScopeKey.Of(row.Key), row.PeriodKey)
            : (new ScopeKey(query.CustomerId ?? string.Empty, (BudgetScopeKind)(-1), string.Empty, (UsageMeter)(-1)), string.Empty);
        var rows = new List<UsageReportRow>();
        var reader = await tx.Session.QueryAsync(
            "SELECT customer, kind, name, meter, period, used, reserved FROM agentbill_usage " +
            "WHERE (customer, kind, name, meter, period) > ($1, $2, $3, $4, $5) AND (used <> 0 OR reserved <> 0) " +
            "AND (CAST($6 AS TEXT) IS NULL OR (customer = $6 AND kind <> 3)) AND (CAST($7 AS INTEGER) IS NULL OR kind = $7) " +
            "AND (CAST($8 AS INTEGER) IS NULL OR meter = $8) AND (CAST($9 AS TEXT) IS NULL OR period = $9) " +
            "ORDER BY customer, kind, name, meter, period LIMIT $10",
            from.Item1.Customer, (int)from.Item1.Kind, from.Item1.Name, (int)from.Item1.Meter, from.Item2,
            query.CustomerId, (int?)query.Kind, (int?)query.Meter, query.PeriodKey, limit + 1).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                rows.Add(new UsageReportRow(KeyOf(reader), reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6)));
            }
        }

        return rows.Count <= limit
            ? new UsageReportPage(rows, null)
            : new UsageReportPage(rows[..limit], ReportRules.RowCursor(rows[limit - 1]));
    }

    public static async ValueTask<BudgetPage> BudgetsAsync(LedgerTransaction tx, (string? CustomerId, BudgetKey? After, int Limit) read)
    {
        var (customerId, after, limit) = read;
        var from = after is { } key ? ScopeKey.Of(key) : new ScopeKey(customerId ?? string.Empty, (BudgetScopeKind)(-1), string.Empty, (UsageMeter)(-1));
        var budgets = new List<Budget>();
        var reader = await tx.Session.QueryAsync(
            "SELECT customer, kind, name, meter, limit_units, period FROM agentbill_budgets " +
            "WHERE (customer, kind, name, meter) > ($1, $2, $3, $4) AND (CAST($5 AS TEXT) IS NULL OR (customer = $5 AND kind <> 3)) " +
            "ORDER BY customer, kind, name, meter LIMIT $6",
            from.Customer, (int)from.Kind, from.Name, (int)from.Meter, customerId, limit + 1).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var budgetKey = KeyOf(reader);
                budgets.Add(new Budget(budgetKey.Scope, budgetKey.Meter, reader.GetInt64(4), (BudgetPeriod)reader.GetInt32(5)));
            }
        }

        return budgets.Count <= limit
            ? new BudgetPage(budgets, null)
            : new BudgetPage(budgets[..limit], ReportRules.BudgetCursor(budgets[limit - 1].Key));
    }

    public static async ValueTask<IReadOnlyList<RefusalRecord>> RefusalsAsync(LedgerTransaction tx, (string? CustomerId, int Limit) read)
    {
        var refusals = new List<RefusalRecord>();
        var reader = read.CustomerId is null
            ? await tx.Session.QueryAsync(RefusalColumns + " ORDER BY id DESC LIMIT $1", read.Limit).ConfigureAwait(false)
            : await tx.Session.QueryAsync(RefusalColumns + " WHERE customer = $1 ORDER BY id DESC LIMIT $2", read.CustomerId, read.Limit).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var customer = reader.GetString(0);
            var scope = reader.IsDBNull(6) ? (BudgetScope?)null : (BudgetScopeKind)reader.GetInt32(6) switch
            {
                BudgetScopeKind.Global => BudgetScope.Global,
                BudgetScopeKind.Customer => BudgetScope.Customer(customer),
                BudgetScopeKind.Agent => BudgetScope.Agent(customer, reader.GetString(7)),
                _ => BudgetScope.Task(customer, reader.GetString(7)),
            };
            refusals.Add(new RefusalRecord(
                new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
                customer,
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                (UsageMeter)reader.GetInt32(4),
                (RefusalReason)reader.GetInt32(5),
                scope,
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetInt64(9)));
        }

        return refusals;
    }

    /// <summary>The two activity totals, summed over the rows that count them.</summary>
    public static async ValueTask<LedgerActivity> ActivityAsync(LedgerTransaction tx, DateTimeOffset now)
    {
        long approved = 0, refused = 0;
        var reader = await tx.Session.QueryAsync(tx.Session.Dialect.ReadActivity).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (reader.GetString(0) == "approved")
            {
                approved += reader.GetInt64(1);
            }
            else
            {
                refused += reader.GetInt64(1);
            }
        }

        return new LedgerActivity(approved, refused, now);
    }

    public static ValueTask<int> ReleaseExpiredAsync(LedgerTransaction tx, int limit) => tx.ReleaseExpiredAsync(limit);

    /// <summary>The scope and meter of the columns <c>customer, kind, name, meter</c> a report reads first.</summary>
    private static BudgetKey KeyOf(DbDataReader reader)
    {
        var customer = reader.GetString(0);
        var name = reader.GetString(2);
        var scope = (BudgetScopeKind)reader.GetInt32(1) switch
        {
            BudgetScopeKind.Global => BudgetScope.Global,
            BudgetScopeKind.Customer => BudgetScope.Customer(customer),
            BudgetScopeKind.Agent => BudgetScope.Agent(customer, name),
            _ => BudgetScope.Task(customer, name),
        };
        return new BudgetKey(scope, (UsageMeter)reader.GetInt32(3));
    }
}
