// Gated calls per second of the PostgreSQL store at 1, 16 and 64 concurrent callers on one database, beside, in the
// same run, the baseline: two trivial single-row UPDATE transactions per call (BEGIN; UPDATE of one row; COMMIT) on
// the same data source, the floor of any PostgreSQL ledger that writes twice per call.
// Prints a markdown section for bench/results/latest.md.
// Arguments: [seconds per level] [an Npgsql connection string to a database the bench may fill; default: env
// AGENTBILL_BENCH_POSTGRES]. Further arguments name levers to add to the store's data source, as
// "name=connection-string-settings", e.g. "auto-prepare=Max Auto Prepare=32".
using System.Diagnostics;
using System.Globalization;
using AgentBill;
using AgentBill.Postgres;
using Npgsql;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
var connectionString = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("AGENTBILL_BENCH_POSTGRES")
    ?? throw new InvalidOperationException("Give a connection string (argument 2 or AGENTBILL_BENCH_POSTGRES).");
var levers = args.Skip(2).Select(lever => lever.Split('=', 2)).Select(p => (Name: p[0], Settings: p[1])).Prepend(("as shipped", string.Empty)).ToArray();
var warmUp = TimeSpan.FromSeconds(2);
int[] levels = [1, 16, 64];

await using (var setup = NpgsqlDataSource.Create(connectionString))
{
    await Execute(setup, "DROP TABLE IF EXISTS bench_counters");
    await Execute(setup, "CREATE TABLE bench_counters (id integer PRIMARY KEY, n bigint NOT NULL)");
    await Execute(setup, "INSERT INTO bench_counters SELECT i, 0 FROM generate_series(0, 63) AS i");
    await PostgresBudgetLedger.MigrateAsync(setup);
    await using var settings = setup.CreateCommand("SELECT current_setting('synchronous_commit') || ', fsync ' || current_setting('fsync') || ', PostgreSQL ' || current_setting('server_version')");
    Console.WriteLine("## PostgreSQL load test");
    Console.WriteLine();
    Console.WriteLine($"- each level runs {seconds} s after {warmUp.TotalSeconds:0} s of the same calls unmeasured; server: synchronous_commit {await settings.ExecuteScalarAsync()}, on loopback");
}

Console.WriteLine("- every caller is its own customer with a monthly budget, and each call names an agent and a task (three scopes); a gated call is `ReserveAsync` then `CommitAsync`: two transactions of the store, under the server's clock");
Console.WriteLine("- baseline from the same run: two trivial single-row `UPDATE` transactions per call (`BEGIN`, `UPDATE` of the caller's row, `COMMIT`) on the same data source");
Console.WriteLine();
Console.WriteLine("| store data source | callers | baseline calls/s | gated calls/s | gated ÷ baseline (≥ 0.5) | gated p50 | gated p99 |");
Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");

foreach (var (name, extra) in levers)
{
    await using var dataSource = NpgsqlDataSource.Create(extra.Length == 0 ? connectionString : connectionString + ";" + extra);
    var ledger = new PostgresBudgetLedger(dataSource);
    await using var bill = new AgentBillClient(ledger);
    foreach (var callers in levels)
    {
        var floor = await LoadMeasurement.Measure(callers, caller => () => TwoUpdatesAsync(dataSource, caller), seconds, warmUp);
        var gated = await LoadMeasurement.Measure(callers, await LoadMeasurement.GatedAsync(bill, callers), seconds, warmUp);
        var ratio = gated.PerSecond / floor.PerSecond;
        Console.WriteLine($"| {name} | {callers} | {floor.PerSecond:N0} | {gated.PerSecond:N0} | {ratio:0.00}{(ratio >= 0.5 ? string.Empty : " missed")} | {gated.P50:N0} µs | {gated.P99:N0} µs |");
    }
}

static async Task TwoUpdatesAsync(NpgsqlDataSource dataSource, int caller)
{
    for (var i = 0; i < 2; i++)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var update = new NpgsqlCommand("UPDATE bench_counters SET n = n + 1 WHERE id = $1", connection, transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = caller });
        await update.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
}

static async Task Execute(NpgsqlDataSource dataSource, string sql)
{
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync();
}
