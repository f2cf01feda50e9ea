using AgentBill.Ledger;
using AgentBill.Testing;
using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>
/// The store conformance suite, unchanged, against a fresh database per ledger on a real PostgreSQL server, under the
/// clients' clock (the suite drives time with a fake one).
/// </summary>
public sealed class PostgresLedgerConformanceTests(PostgresFixture postgres) : BudgetLedgerConformanceTests, IAsyncDisposable
{
    private readonly TestDatabases _databases = new(postgres);

    protected override async ValueTask<IBudgetLedger> CreateLedgerAsync()
    {
        var dataSource = await _databases.CreateMigratedAsync();
        return new PostgresBudgetLedger(dataSource, new PostgresLedgerOptions { Clock = PostgresClock.Client, TimeProvider = Time });
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
