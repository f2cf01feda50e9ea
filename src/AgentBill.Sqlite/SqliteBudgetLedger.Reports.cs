using AgentBill.Ledger;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite;

/// <summary>
/// The reports of the SQLite store, each one transaction reading one page from a primary key or an index: usage rows
/// and budgets in their tables' key order (customer, kind, name, meter, period, texts as SQLite compares them), the
/// cursor naming the last key. Usage rows count a hold past its expiry as held until an operation on its customer, or
/// <see cref="ReleaseExpiredHoldsAsync"/>, returns it. Refusals are a table capped per customer, written in the
/// refusing transaction; its ids only grow, so the newest across customers are read exactly from its key. Activity
/// is two counters written in the deciding transactions (on a file made before schema version 2, counted from the
/// upgrade on).
/// </summary>
public sealed partial class SqliteBudgetLedger
{
    /// <inheritdoc />
    public ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        query = ReportRules.Check(query);
        ReportRules.CheckLimit(limit);
        var after = cursor is null ? null : (UsageReportRow?)ReportRules.ParseRowCursor(cursor);
        return RunAsync((query, after, limit), static (tx, read) =>
        {
            var (query, after, limit) = read;
            var from = after is { } row
                ? (ScopeKey.Of(row.Key), row.PeriodKey)
                : (new ScopeKey(query.CustomerId ?? string.Empty, (BudgetScopeKind)(-1), string.Empty, (UsageMeter)(-1)), string.Empty);
            var rows = new List<UsageReportRow>();
            using (var reader = tx.Session.Query(
                "SELECT customer, kind, name, meter, period, used, reserved FROM agentbill_usage " +
                "WHERE (customer, kind, name, meter, period) > ($1, $2, $3, $4, $5) AND (used <> 0 OR reserved <> 0) " +
                "AND ($6 IS NULL OR (customer = $6 AND kind <> 3)) AND ($7 IS NULL OR kind = $7) AND ($8 IS NULL OR meter = $8) AND ($9 IS NULL OR period = $9) " +
                "ORDER BY customer, kind, name, meter, period LIMIT $10",
                from.Item1.Customer, (int)from.Item1.Kind, from.Item1.Name, (int)from.Item1.Meter, from.Item2,
                query.CustomerId, (int?)query.Kind, (int?)query.Meter, query.PeriodKey, limit + 1))
            {
                while (reader.Read())
                {
                    rows.Add(new UsageReportRow(KeyOf(reader), reader.GetString(4), reader.GetInt64(5), reader.GetInt64(6)));
                }
            }

            return rows.Count <= limit
                ? new UsageReportPage(rows, null)
                : new UsageReportPage(rows[..limit], ReportRules.RowCursor(rows[limit - 1]));
        }, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        var after = cursor is null ? null : (BudgetKey?)ReportRules.ParseBudgetCursor(cursor);
        return RunAsync((customerId, after, limit), static (tx, read) =>
        {
            var (customerId, after, limit) = read;
            var from = after is { } key ? ScopeKey.Of(key) : new ScopeKey(customerId ?? string.Empty, (BudgetScopeKind)(-1), string.Empty, (UsageMeter)(-1));
            var budgets = new List<Budget>();
            using (var reader = tx.Session.Query(
                "SELECT customer, kind, name, meter, limit_units, period FROM agentbill_budgets " +
                "WHERE (customer, kind, name, meter) > ($1, $2, $3, $4) AND ($5 IS NULL OR (customer = $5 AND kind <> 3)) " +
                "ORDER BY customer, kind, name, meter LIMIT $6",
                from.Customer, (int)from.Kind, from.Name, (int)from.Meter, customerId, limit + 1))
            {
                while (reader.Read())
                {
                    var budgetKey = KeyOf(reader);
                    budgets.Add(new Budget(budgetKey.Scope, budgetKey.Meter, reader.GetInt64(4), (BudgetPeriod)reader.GetInt32(5)));
                }
            }

            return budgets.Count <= limit
                ? new BudgetPage(budgets, null)
                : new BudgetPage(budgets[..limit], ReportRules.BudgetCursor(budgets[limit - 1].Key));
        }, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        return RunAsync((customerId, limit), static (tx, read) =>
        {
            var refusals = new List<RefusalRecord>();
            using var reader = read.customerId is null
                ? tx.Session.Query(RefusalColumns + " ORDER BY id DESC LIMIT $1", read.limit)
                : tx.Session.Query(RefusalColumns + " WHERE customer = $1 ORDER BY id DESC LIMIT $2", read.customerId, read.limit);
            while (reader.Read())
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

            return (IReadOnlyList<RefusalRecord>)refusals;
        }, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken)
        => RunAsync(Now(), static (tx, now) =>
        {
            long approved = 0, refused = 0;
            using var reader = tx.Session.Query("SELECT name, count FROM agentbill_activity");
            while (reader.Read())
            {
                if (reader.GetString(0) == "approved")
                {
                    approved = reader.GetInt64(1);
                }
                else
                {
                    refused = reader.GetInt64(1);
                }
            }

            return new LedgerActivity(approved, refused, now);
        }, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
    {
        ReportRules.CheckLimit(limit);
        return RunAsync(limit, static (tx, limit) => tx.ReleaseExpired(limit), Now(), cancellationToken);
    }

    private const string RefusalColumns = "SELECT customer, at, agent, task, meter, reason, scope_kind, scope_name, requested, remaining FROM agentbill_refusals";

    private DateTimeOffset Now() => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();

    /// <summary>The scope and meter of the columns <c>customer, kind, name, meter</c> a report reads first.</summary>
    private static BudgetKey KeyOf(SqliteDataReader reader)
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
