using System.Globalization;
using System.Text;
using AgentBill.Ledger;
using AgentBill.Redis.Wire;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// The reports of the Redis store. Customers are found with <c>SCAN</c> over the customers' hashes on every primary
/// (one server, or each master of a cluster, in endpoint order); a cursor names the primary, its scan cursor, and the
/// last customer and item read. Within one scan batch customers are read in id order, each one's rows, budgets or
/// refusals from its own hash with one <c>HGETALL</c> or <c>HMGET</c>, without the functions (no loss-marker check,
/// no sweep: a hold past its TTL counts as held until a call of its customer or
/// <see cref="ReleaseExpiredHoldsAsync"/> returns it). So usage rows and budgets are ordered by customer, scope,
/// meter and period within a scan batch, and the batches in <c>SCAN</c>'s order, not by customer id across the
/// whole store; a page reads at most a few scan batches and may come back short with a next cursor. <c>SCAN</c>
/// lists every customer present from the first page to the last; a rehash of the server's table between pages can
/// list a batch again, so a row can then be read twice. Refusals across customers read every customer's ring (work
/// grows with the number of customers) and are ordered by their time in milliseconds, ties in no fixed order. Activity
/// sums the counters of the customers the store still keeps: a customer whose keys expired for idleness
/// (<see cref="RedisLedgerOptions.UsageRetention"/>) leaves the totals.
/// </summary>
public sealed partial class RedisBudgetLedger
{
    // Scan batches a page reads at most before it returns what it has with a cursor.
    private const int ScanBatchesPerPage = 16;
    private const int ScanCount = 256;
    private const char CursorSeparator = '\0';
    private static readonly LedgerScript Expire = LedgerLibrary.Ledger.Function("expire");

    /// <inheritdoc />
    public async ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        query = ReportRules.Check(query);
        ReportRules.CheckLimit(limit);
        var position = Position.Parse(cursor);
        var withGlobal = !_topology.IsCluster && query.CustomerId is null && query.Kind is null or BudgetScopeKind.Global;
        var (rows, next) = await WalkAsync(
            position,
            limit,
            query.CustomerId,
            withGlobal,
            query.Kind == BudgetScopeKind.Global,
            async customer => RedisBookFields.Rows(await ReadBookAsync(customer).ConfigureAwait(false), customer)
                .Where(row => ReportRules.Matches(query, row.Key, row.PeriodKey)),
            static (row, inner) => ReportRules.Compare(row, ReportRules.ParseRowCursor(inner)) > 0,
            ReportRules.RowCursor,
            cancellationToken).ConfigureAwait(false);
        return new UsageReportPage(rows, next);
    }

    /// <inheritdoc />
    public async ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        var position = Position.Parse(cursor);
        var (budgets, next) = await WalkAsync(
            position,
            limit,
            customerId,
            !_topology.IsCluster && customerId is null,
            false,
            async customer => (IEnumerable<Budget>)RedisBookFields.Budgets(await ReadBookAsync(customer).ConfigureAwait(false), customer),
            static (budget, inner) => ReportRules.Compare(budget.Key, ReportRules.ParseBudgetCursor(inner)) > 0,
            static budget => ReportRules.BudgetCursor(budget.Key),
            cancellationToken).ConfigureAwait(false);
        return new BudgetPage(budgets, next);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        if (customerId is not null)
        {
            return await RefusalsOfAsync(customerId, limit).ConfigureAwait(false);
        }

        var newest = new List<RefusalRecord>();
        await ForEachCustomerAsync(
            async customer =>
            {
                newest.AddRange(await RefusalsOfAsync(customer, limit).ConfigureAwait(false));
                if (newest.Count > 4 * limit)
                {
                    Keep(newest, limit);
                }
            },
            cancellationToken).ConfigureAwait(false);
        Keep(newest, limit);
        return newest;

        static void Keep(List<RefusalRecord> records, int limit)
        {
            records.Sort(static (x, y) => y.At.CompareTo(x.At));
            if (records.Count > limit)
            {
                records.RemoveRange(limit, records.Count - limit);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken)
    {
        long approved = 0, refused = 0;
        RedisValue[] fields = [RedisKeys.Wire("#s"), RedisKeys.Wire("#t"), RedisKeys.Wire("#r")];
        await ForEachCustomerAsync(
            async customer =>
            {
                var values = await RedisFailures.GuardAsync(() => Database.HashGetAsync(_keys.Book(customer), fields)).ConfigureAwait(false);
                approved += Number(values[0]) + Number(values[1]);
                refused += Number(values[2]);
            },
            cancellationToken).ConfigureAwait(false);
        return new LedgerActivity(approved, refused, await ReportsNowAsync().ConfigureAwait(false));
    }

    /// <inheritdoc />
    public async ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
    {
        ReportRules.CheckLimit(limit);
        var now = await ReportsNowAsync().ConfigureAwait(false);
        var released = 0;
        await ForEachCustomerAsync(
            async customer =>
            {
                if (released == limit)
                {
                    return;
                }

                // Only customers with a hold due run the function, which returns them through the store's own sweep.
                var expiry = _keys.Script(RedisKeys.CustomerTag(customer), _keys.Epoch, false)[(int)LedgerKey.HoldExpiry - 1];
                var due = await RedisFailures.GuardAsync(() => Database.SortedSetLengthAsync(expiry, double.NegativeInfinity, now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
                if (due == 0)
                {
                    return;
                }

                var a = new ScriptArguments((int)HoldsArg.Limit);
                a[(int)HoldsArg.After] = RedisValue.EmptyString;
                a[(int)HoldsArg.Limit] = Int(limit - released);
                var result = await RunAsync(Expire, customer, now, a).ConfigureAwait(false);
                released += int.Parse(result[(int)DoneReply.Done], CultureInfo.InvariantCulture);
            },
            cancellationToken,
            stop: () => released == limit).ConfigureAwait(false);
        return released;
    }

    private async Task<List<RefusalRecord>> RefusalsOfAsync(string customer, int limit)
    {
        var values = await RedisFailures.GuardAsync(() => Database.HashGetAsync(_keys.Book(customer), RedisBookFields.RefusalFields)).ConfigureAwait(false);
        return RedisBookFields.Refusals(values, customer, limit);
    }

    /// <summary>
    /// One page of items: the global scope's first (<paramref name="withGlobal"/>), then customers scan batch by scan
    /// batch, each batch's customers in id order, each customer's items in its order.
    /// </summary>
    private async Task<(List<T> Items, string? Next)> WalkAsync<T>(
        Position position,
        int limit,
        string? onlyCustomer,
        bool withGlobal,
        bool onlyGlobal,
        Func<string?, Task<IEnumerable<T>>> load,
        Func<T, string, bool> isAfter,
        Func<T, string> cursorOf,
        CancellationToken cancellationToken)
    {
        var items = new List<T>(limit);

        // Adds a customer's (or, null, the global scope's) items after the position; returns the next cursor when the page filled.
        async Task<string?> AddAsync(string? customer, Position at)
        {
            var inner = at.Customer == (customer ?? string.Empty) ? at.Inner : null;
            foreach (var item in await load(customer).ConfigureAwait(false))
            {
                if (inner is not null && !isAfter(item, inner))
                {
                    continue;
                }

                if (items.Count == limit)
                {
                    return (at with { Customer = customer ?? string.Empty, Inner = cursorOf(items[^1]) }).ToString();
                }

                items.Add(item);
            }

            return null;
        }

        if (onlyCustomer is not null)
        {
            if (position.Customer is { } c && c != onlyCustomer)
            {
                throw ReportRules.BadCursor(position.ToString(), "it belongs to another customer");
            }

            return (items, await AddAsync(onlyCustomer, position).ConfigureAwait(false));
        }

        var primaries = Primaries();
        if (position.Node == -1)
        {
            if (withGlobal && await AddAsync(null, position).ConfigureAwait(false) is { } next)
            {
                return (items, next);
            }

            position = new Position(0, "0", null, null);
        }

        if (onlyGlobal)
        {
            return (items, null);
        }

        for (var batch = 0; position.Node < primaries.Length && batch < ScanBatchesPerPage; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (scanNext, customers) = await ScanAsync(primaries[position.Node], position.Scan).ConfigureAwait(false);
            foreach (var customer in customers)
            {
                if (position.Customer is { } from && string.CompareOrdinal(customer, from) < 0)
                {
                    continue;
                }

                if (position.Customer == customer && position.Inner is null)
                {
                    continue;
                }

                if (await AddAsync(customer, position).ConfigureAwait(false) is { } next)
                {
                    return (items, next);
                }
            }

            position = scanNext == "0" ? new Position(position.Node + 1, "0", null, null) : new Position(position.Node, scanNext, null, null);
            if (items.Count == limit)
            {
                break;
            }
        }

        return (items, position.Node < primaries.Length ? position.ToString() : null);
    }

    /// <summary>Runs an action for every customer of every primary, scan batch by scan batch.</summary>
    private async Task ForEachCustomerAsync(Func<string, Task> action, CancellationToken cancellationToken, Func<bool>? stop = null)
    {
        foreach (var server in Primaries())
        {
            var scan = "0";
            do
            {
                if (cancellationToken.IsCancellationRequested || stop?.Invoke() == true)
                {
                    return;
                }

                (scan, var customers) = await ScanAsync(server, scan).ConfigureAwait(false);
                foreach (var customer in customers)
                {
                    await action(customer).ConfigureAwait(false);
                }
            }
            while (scan != "0");
        }
    }

    /// <summary>Every primary, in endpoint order: the walk's node numbers.</summary>
    private IServer[] Primaries()
        => [.. _redis.GetServers().Where(static server => !server.IsReplica).OrderBy(static server => server.EndPoint.ToString(), StringComparer.Ordinal)];

    /// <summary>One <c>SCAN</c> batch of customers' hashes on one primary: the next scan cursor, and the batch's customers in id order.</summary>
    private async Task<(string Next, List<string> Customers)> ScanAsync(IServer server, string scan)
    {
        var reply = (RedisResult[])(await RedisFailures.GuardAsync(() => server.ExecuteAsync("SCAN", scan, "MATCH", _keys.BookPattern, "COUNT", ScanCount)).ConfigureAwait(false))!;
        var customers = new List<string>();
        foreach (var key in (RedisResult[])reply[1]!)
        {
            if (_keys.CustomerOfBook((string)key!) is { } customer)
            {
                customers.Add(customer);
            }
        }

        customers.Sort(StringComparer.Ordinal);
        return ((string)reply[0]!, customers);
    }

    private async Task<HashEntry[]> ReadBookAsync(string? customer)
        => await RedisFailures.GuardAsync(() => Database.HashGetAllAsync(customer is null ? _keys.GlobalBook : _keys.Book(customer))).ConfigureAwait(false);

    /// <summary>The reports' now: the server's under <see cref="RedisClock.Server"/>, else the options' clock.</summary>
    private async Task<DateTimeOffset> ReportsNowAsync()
    {
        if (_serverClock != "1")
        {
            return _reportsTime.GetUtcNow();
        }

        var server = Primaries().FirstOrDefault(static s => s.IsConnected) ?? throw new AgentBillUnavailableException("Redis could not be reached: no server is connected.");
        return await RedisFailures.GuardAsync(() => server.TimeAsync()).ConfigureAwait(false);
    }

    private static long Number(RedisValue value) => value.IsNull ? 0 : long.Parse((string)value!, CultureInfo.InvariantCulture);

    /// <summary>Where a walk stands: the primary (-1 for the global scope), its scan cursor, the last customer and its last item's cursor.</summary>
    private readonly record struct Position(int Node, string Scan, string? Customer, string? Inner)
    {
        public static Position Parse(string? cursor)
        {
            if (cursor is null)
            {
                return new Position(-1, "0", null, null);
            }

            string[] parts;
            try
            {
                var base64 = cursor.Replace('-', '+').Replace('_', '/');
                base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
                parts = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64)).Split(CursorSeparator);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw ReportRules.BadCursor(cursor, "not base64url UTF-8 text");
            }

            if (parts.Length != 5 || parts[0] != "r1"
                || !int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var node) || node < -1
                || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw ReportRules.BadCursor(cursor, "unknown layout");
            }

            return new Position(node, parts[2], parts[3].Length == 0 && node >= 0 ? null : parts[3], parts[4].Length == 0 ? null : parts[4]);
        }

        public override string ToString()
            => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join(CursorSeparator, "r1", Node.ToString(CultureInfo.InvariantCulture), Scan, Customer ?? string.Empty, Inner ?? string.Empty)))
                .TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
