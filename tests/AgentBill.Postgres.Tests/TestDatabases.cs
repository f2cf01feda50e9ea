using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>Fresh databases on the shared server for one test, and their data sources, disposed with the test.</summary>
internal sealed class TestDatabases(PostgresFixture postgres) : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _sources = [];

    /// <summary>A data source on a new, empty database.</summary>
    public async Task<NpgsqlDataSource> CreateAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        _sources.Add(dataSource);
        return dataSource;
    }

    /// <summary>A data source on a new database holding an empty ledger.</summary>
    public async Task<NpgsqlDataSource> CreateMigratedAsync()
    {
        var dataSource = await CreateAsync();
        await PostgresBudgetLedger.MigrateAsync(dataSource);
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
        {
            await source.DisposeAsync();
        }
    }
}
