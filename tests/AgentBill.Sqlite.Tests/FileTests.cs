using System.Security.Cryptography;
using AgentBill.Ledger;
using Microsoft.Data.Sqlite;

namespace AgentBill.Sqlite.Tests;

/// <summary>A file the store cannot use is refused with an exception naming the file and why, and left as it was.</summary>
public sealed class FileTests : IDisposable
{
    private static readonly Budget Budget = new(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month);

    private readonly TempLedgerFiles _files = new();

    [Fact]
    public async Task The_file_and_its_schema_are_made_on_first_use_in_wal_mode()
    {
        var path = _files.NewPath();
        var ledger = _files.Open(path);
        Assert.False(File.Exists(path));

        await ledger.SetBudgetAsync(Budget, default);

        Assert.True(File.Exists(path));
        Assert.Equal("wal", Scalar(path, "PRAGMA journal_mode"));
        Assert.Equal("2", Scalar(path, "SELECT value FROM agentbill_meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public async Task A_path_whose_directory_does_not_exist_is_refused_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "agentbill-missing-" + Guid.NewGuid().ToString("N"), "ledger.db");

        var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).SetBudgetAsync(Budget, default));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot open", error.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public async Task A_path_that_is_a_directory_is_refused()
    {
        var path = _files.NewPath();
        Directory.CreateDirectory(path);
        try
        {
            var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).SetBudgetAsync(Budget, default));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public async Task A_read_only_file_is_refused_and_left_unchanged()
    {
        var path = _files.NewPath();
        using (var first = new SqliteBudgetLedger(path))
        {
            await first.SetBudgetAsync(Budget, default);
        }

        File.SetAttributes(path, FileAttributes.ReadOnly);
        var before = Hash(path);

        var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).SetBudgetAsync(Budget, default));

        Assert.Contains("read-only", error.Reason, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public async Task A_file_of_another_format_is_refused_and_left_unchanged()
    {
        var path = _files.NewPath();
        await File.WriteAllTextAsync(path, "customer,units\nacme,12\n", TestContext.Current.CancellationToken);
        var before = Hash(path);

        var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).ReserveAsync(Reserve(), default));

        Assert.Contains("not a SQLite database", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task A_sqlite_database_of_another_application_is_refused_and_left_unchanged()
    {
        var path = _files.NewPath();
        Execute(path, "CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)");
        var before = Hash(path);

        var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).SetBudgetAsync(Budget, default));

        Assert.Contains("another application", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public async Task A_newer_schema_version_is_refused_and_left_unchanged()
    {
        var path = _files.NewPath();
        using (var first = new SqliteBudgetLedger(path))
        {
            await first.SetBudgetAsync(Budget, default);
        }

        Execute(path, "UPDATE agentbill_meta SET value = '99' WHERE key = 'schema_version'");
        var before = Hash(path);

        var error = await Assert.ThrowsAsync<SqliteLedgerFileException>(async () => await _files.Open(path).SetBudgetAsync(Budget with { }, default));

        Assert.Contains("schema version is 99", error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, Hash(path));
    }

    [Fact]
    public async Task An_older_schema_version_is_migrated_in_place_keeping_the_ledger_id()
    {
        var path = _files.NewPath();
        Execute(path, "CREATE TABLE agentbill_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
        Execute(path, "INSERT INTO agentbill_meta VALUES ('ledger_id', 'old-ledger'), ('schema_version', '0')");

        await _files.Open(path).SetBudgetAsync(Budget, default);

        Assert.Equal("2", Scalar(path, "SELECT value FROM agentbill_meta WHERE key = 'schema_version'"));
        Assert.Equal("old-ledger", Scalar(path, "SELECT value FROM agentbill_meta WHERE key = 'ledger_id'"));
        Assert.Equal(100L, Scalar(path, "SELECT limit_units FROM agentbill_budgets"));
    }

    [Fact]
    public async Task A_restart_keeps_budgets_and_usage()
    {
        var path = _files.NewPath();
        await using (var first = new AgentBillClient(new SqliteBudgetLedger(path)))
        {
            await first.SetBudgetAsync(Budget);
            await first.RecordAsync("researcher", 7, "acme");
        }

        await using var second = new AgentBillClient(_files.Open(path));
        var usage = await second.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month);

        Assert.Equal((100L, 7L), (usage.Limit, usage.Used));
    }

    [Fact]
    public async Task A_file_deleted_under_a_running_ledger_is_detected_and_not_made_again()
    {
        var path = _files.NewPath();
        var ledger = _files.Open(path);
        await ledger.SetBudgetAsync(Budget, default);

        File.Delete(path);

        var error = await Assert.ThrowsAsync<LedgerDataLostException>(async () => await ledger.ReserveAsync(Reserve(), default));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await ledger.GetBudgetAsync(Budget.Key, default));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_file_replaced_under_a_running_ledger_is_detected()
    {
        var path = _files.NewPath();
        var other = _files.NewPath();
        var ledger = _files.Open(path);
        await ledger.SetBudgetAsync(Budget, default);
        using (var replacement = new SqliteBudgetLedger(other))
        {
            await replacement.SetBudgetAsync(Budget, default);
        }

        File.Move(other, path, overwrite: true);

        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await ledger.ReserveAsync(Reserve(), default));
    }

    [Fact]
    public async Task After_an_acknowledgement_the_ledger_goes_on_with_the_file_at_its_path()
    {
        var path = _files.NewPath();
        var ledger = _files.Open(path);
        await ledger.SetBudgetAsync(Budget, default);
        File.Delete(path);
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await ledger.GetBudgetAsync(Budget.Key, default));

        await ledger.AcknowledgeDataLossAsync(TestContext.Current.CancellationToken);

        Assert.Null(await ledger.GetBudgetAsync(Budget.Key, default));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_naming_the_setting()
    {
        Assert.Contains("Path", Assert.Throws<ArgumentException>(() => new SqliteBudgetLedger(new SqliteLedgerOptions())).Message, StringComparison.Ordinal);
        Assert.Contains("in-memory", Assert.Throws<ArgumentException>(() => new SqliteBudgetLedger(":memory:")).Message, StringComparison.Ordinal);
        Assert.Contains("BusyTimeout", Assert.Throws<ArgumentException>(() => new SqliteBudgetLedger("x.db", new SqliteLedgerOptions { BusyTimeout = TimeSpan.Zero })).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _files.Dispose();

    private static ReserveCommand Reserve()
    {
        var now = DateTimeOffset.UtcNow;
        var call = new LedgerCall
        {
            CustomerId = "acme",
            AgentId = "researcher",
            Meter = UsageMeter.Units,
            Now = now,
            Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(now),
            RememberUntil = now.AddHours(1),
        };
        return new ReserveCommand(call, "r1", 1, now.AddMinutes(5));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static object? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
