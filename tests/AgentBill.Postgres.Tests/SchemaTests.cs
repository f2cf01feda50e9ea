using AgentBill.Ledger;
using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>The schema is made only by the explicit migration, with a version; a database that is not at it is refused, and left as it was.</summary>
public sealed class SchemaTests(PostgresFixture postgres) : IAsyncDisposable
{
    private readonly TestDatabases _databases = new(postgres);

    [Fact]
    public async Task Migrating_makes_the_ledger_once_and_again_changes_nothing()
    {
        var dataSource = await _databases.CreateAsync();
        Assert.Equal(0, await PostgresBudgetLedger.MigrateAsync(dataSource));
        Assert.Equal(PostgresSchema.CurrentVersion, await PostgresBudgetLedger.MigrateAsync(dataSource));
        Assert.Equal(PostgresSchema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), await Scalar(dataSource, "SELECT value FROM agentbill_meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public async Task An_operation_on_a_database_never_migrated_is_refused_and_makes_no_table()
    {
        var dataSource = await _databases.CreateAsync();
        var ledger = new PostgresBudgetLedger(dataSource);

        var refused = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await ledger.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month), CancellationToken.None));

        Assert.Contains("MigrateAsync", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await Scalar(dataSource, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'agentbill%'"));
    }

    [Fact]
    public async Task A_database_of_a_newer_schema_is_refused_by_operations_and_by_the_migration_and_left_as_it_is()
    {
        var dataSource = await _databases.CreateMigratedAsync();
        await Scalar(dataSource, "UPDATE agentbill_meta SET value = '99' WHERE key = 'schema_version' RETURNING 1");

        var byOperation = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await new PostgresBudgetLedger(dataSource).GetBudgetAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), CancellationToken.None));
        var byMigration = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(() => PostgresBudgetLedger.MigrateAsync(dataSource));

        Assert.Contains("newer", byOperation.Message, StringComparison.Ordinal);
        Assert.Contains("version 99", byMigration.Message, StringComparison.Ordinal);
        Assert.Equal("99", await Scalar(dataSource, "SELECT value FROM agentbill_meta WHERE key = 'schema_version'"));
    }

    [Fact]
    public async Task Tables_of_the_same_names_that_are_not_a_ledger_are_never_written_into()
    {
        var dataSource = await _databases.CreateAsync();
        await Scalar(dataSource, "CREATE TABLE agentbill_usage (note text); SELECT 1");

        var refused = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(() => PostgresBudgetLedger.MigrateAsync(dataSource));

        Assert.Contains("not an AgentBill ledger", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await Scalar(dataSource, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'agentbill%'"));
    }

    [Fact]
    public async Task Tables_dropped_under_a_running_ledger_stop_it_as_a_data_loss_not_an_outage()
    {
        var dataSource = await _databases.CreateMigratedAsync();
        await using var bill = new AgentBillClient(new PostgresBudgetLedger(dataSource));
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        Assert.True((await bill.PreflightAsync("researcher", 10, "acme")).Approved);

        await Scalar(dataSource, "DROP TABLE agentbill_holds; SELECT 1");

        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.PreflightAsync("researcher", 10, "acme"));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    private static async Task<object?> Scalar(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }
}
