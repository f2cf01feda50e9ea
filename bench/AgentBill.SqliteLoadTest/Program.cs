// Gated calls per second of the SQLite store at 1 and 16 concurrent callers on one file, beside, in the same run:
// - the baseline: two trivial write transactions per call (BEGIN IMMEDIATE; UPDATE of one row; COMMIT) on a file
//   with the same connection settings (WAL, the same synchronous, busy timeout) and the same in-process turn-taking
//   the store uses (one connection, an async lock), the floor of any SQLite ledger that writes twice per call;
// - the in-memory store through the same client calls.
// Then the gated call at 1 caller again on a file that also holds 100,000 idle customers and 10,000 open holds.
// Prints a markdown section for bench/results/latest.md. Arguments: [seconds per level] [directory for the files].
using System.Diagnostics;
using System.Globalization;
using AgentBill;
using AgentBill.InMemory;
using AgentBill.Ledger;
using AgentBill.Sqlite;
using Microsoft.Data.Sqlite;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var directory = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "agentbill-sqlite-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var warmUp = TimeSpan.FromSeconds(2);
int[] levels = [1, 16];

Console.WriteLine("## SQLite load test");
Console.WriteLine();
Console.WriteLine($"- each level runs {seconds} s after {warmUp.TotalSeconds:0} s of the same calls unmeasured, on files in `{directory}` ({FileSystemOf(directory)}); every caller is its own customer with a monthly budget, and each call names an agent and a task (three scopes)");
Console.WriteLine("- a gated call is `ReserveAsync` then `CommitAsync`: two `BEGIN IMMEDIATE` transactions of the store");
Console.WriteLine("- baseline from the same run: two trivial write transactions per call (`BEGIN IMMEDIATE`, an `UPDATE` of one row, `COMMIT`) on the same connection settings and the same turn-taking in the process (one connection, an async lock)");
Console.WriteLine();
Console.WriteLine("| synchronous | callers | baseline calls/s | gated calls/s | gated ÷ baseline (≥ 0.5) | gated p50 | gated p99 | in-memory gated calls/s |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|");

var idleRows = new List<string>();
foreach (var synchronous in new[] { SqliteSynchronous.Normal, SqliteSynchronous.Full })
{
    foreach (var callers in levels)
    {
        var basePath = Path.Combine(directory, $"base-{synchronous}-{callers}.db");
        using var baseline = new TrivialWriter(basePath, synchronous);
        var floor = await LoadMeasurement.Measure(callers, caller => () => baseline.TwoWritesAsync(caller), seconds, warmUp);

        var path = Path.Combine(directory, $"ledger-{synchronous}-{callers}.db");
        using var ledger = new SqliteBudgetLedger(path, new SqliteLedgerOptions { Synchronous = synchronous });
        await using var bill = new AgentBillClient(ledger);
        var gated = await LoadMeasurement.Measure(callers, await LoadMeasurement.GatedAsync(bill, callers), seconds, warmUp);

        await using var memory = new AgentBillClient(new InMemoryBudgetLedger());
        var inMemory = await LoadMeasurement.Measure(callers, await LoadMeasurement.GatedAsync(memory, callers), seconds, warmUp);

        Console.WriteLine($"| {synchronous} | {callers} | {floor.PerSecond:N0} | {gated.PerSecond:N0} | {gated.PerSecond / floor.PerSecond:0.00}{(gated.PerSecond / floor.PerSecond >= 0.5 ? string.Empty : " missed")} | {gated.P50:N0} µs | {gated.P99:N0} µs | {inMemory.PerSecond:N0} |");

        if (callers == 1)
        {
            // The same calls once the file also holds 100,000 idle customers and 10,000 open holds of other customers.
            Populate(path);
            var crowded = await LoadMeasurement.Measure(callers, await LoadMeasurement.GatedAsync(bill, callers), seconds, warmUp);
            idleRows.Add($"| {synchronous} | {gated.PerSecond:N0} | {crowded.PerSecond:N0} | {crowded.PerSecond / gated.PerSecond:0.00} | {crowded.P50:N0} µs | {crowded.P99:N0} µs |");
        }
    }
}

Console.WriteLine();
Console.WriteLine("Gated calls at 1 caller on an empty file, then on the same file with 100,000 idle customers (each with usage in three scopes) and 10,000 open holds (100 customers × 100):");
Console.WriteLine();
Console.WriteLine("| synchronous | empty file calls/s | crowded file calls/s | crowded ÷ empty | crowded p50 | crowded p99 |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|");
foreach (var row in idleRows)
{
    Console.WriteLine(row);
}

Directory.Delete(directory, recursive: true);

// Straight into the tables, in one transaction: what the store would hold after those calls.
static void Populate(string path)
{
    using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    connection.Open();
    using var transaction = connection.BeginTransaction();
    var now = DateTimeOffset.UtcNow;
    var periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(now);
    using var customer = Command(connection, "INSERT INTO agentbill_customers VALUES ($c, $t, $n, $h, 0)");
    using var usage = Command(connection, "INSERT INTO agentbill_usage VALUES ($c, $k, $name, 0, $p, 7, $r, 0, $t)");
    using var hold = Command(connection, "INSERT INTO agentbill_holds VALUES ($c, $id, $s, 'load', NULL, 0, 10, $e, $d, $w, $m, 0)");
    for (var i = 0; i < 100_000; i++)
    {
        var id = "idle" + i.ToString(CultureInfo.InvariantCulture);
        var holds = i < 100 ? 100 : 0;
        Run(customer, ("$c", id), ("$t", now.UtcTicks), ("$n", now.UtcTicks + TimeSpan.FromDays(62).Ticks), ("$h", holds));
        foreach (var (kind, name) in new[] { (0, string.Empty), (1, "load"), (2, "task") })
        {
            foreach (var period in new[] { PeriodKeys.Lifetime, periods.Day, periods.Week, periods.Month })
            {
                Run(usage, ("$c", id), ("$k", kind), ("$name", name), ("$p", period), ("$r", kind == 2 ? 0 : holds * 10), ("$t", now.UtcTicks));
            }
        }

        for (var h = 0; h < holds; h++)
        {
            Run(hold, ("$c", id), ("$id", "h" + h.ToString(CultureInfo.InvariantCulture)), ("$s", h + 1), ("$e", now.AddHours(1).UtcTicks), ("$d", periods.Day), ("$w", periods.Week), ("$m", periods.Month));
        }
    }

    transaction.Commit();
}

static SqliteCommand Command(SqliteConnection connection, string sql)
{
    var command = connection.CreateCommand();
    command.CommandText = sql;
    return command;
}

static void Run(SqliteCommand command, params (string Name, object Value)[] values)
{
    command.Parameters.Clear();
    foreach (var (name, value) in values)
    {
        command.Parameters.AddWithValue(name, value);
    }

    command.ExecuteNonQuery();
}

static string FileSystemOf(string directory)
{
    var mount = DriveInfo.GetDrives().Where(d => directory.StartsWith(d.Name, StringComparison.Ordinal)).MaxBy(d => d.Name.Length);
    return mount is null ? "unknown file system" : $"{mount.DriveFormat} at {mount.Name}";
}

/// <summary>The baseline: two trivial write transactions per call, with the store's connection settings and turn-taking.</summary>
internal sealed class TrivialWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _commit;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public TrivialWriter(string path, SqliteSynchronous synchronous)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        // One statement per command, each checked: the baseline must run on exactly the store's settings.
        Scalar("PRAGMA busy_timeout = 5000");
        Check(Scalar("PRAGMA journal_mode = WAL"), "wal");
        Scalar($"PRAGMA synchronous = {(synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL")}");
        Check(Scalar("PRAGMA synchronous"), synchronous == SqliteSynchronous.Full ? 2L : 1L);
        Scalar("CREATE TABLE IF NOT EXISTS counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
        for (var i = 0; i < 64; i++)
        {
            Scalar($"INSERT OR IGNORE INTO counters VALUES ({i}, 0)");
        }

        _begin = Command("BEGIN IMMEDIATE");
        _update = Command("UPDATE counters SET n = n + 1 WHERE id = $id");
        _update.Parameters.AddWithValue("$id", 0);
        _commit = Command("COMMIT");
    }

    public async Task TwoWritesAsync(int caller)
    {
        for (var i = 0; i < 2; i++)
        {
            await _turn.WaitAsync();
            try
            {
                _begin.ExecuteNonQuery();
                _update.Parameters[0].Value = caller;
                _update.ExecuteNonQuery();
                _commit.ExecuteNonQuery();
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    public void Dispose()
    {
        _begin.Dispose();
        _update.Dispose();
        _commit.Dispose();
        _connection.Dispose();
    }

    private object? Scalar(string sql)
    {
        using var command = Command(sql);
        return command.ExecuteScalar();
    }

    private static void Check(object? actual, object expected)
    {
        if (!Equals(actual, expected))
        {
            throw new InvalidOperationException($"The baseline's connection reads {actual}, not {expected}.");
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
