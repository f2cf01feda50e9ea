using System.Net;
using System.Net.Sockets;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AgentBill.Postgres.Tests;

/// <summary>Bad connection settings get errors that say what is wrong: a malformed string at registration, a server that does not answer as an outage, a database or login the server refuses as the ledger's setup.</summary>
public sealed class ConnectionTests(PostgresFixture postgres)
{
    private static readonly BudgetKey Key = new(BudgetScope.Customer("acme"), UsageMeter.Units);

    [Fact]
    public void A_connection_string_Npgsql_cannot_read_is_refused_at_registration_naming_the_argument()
    {
        var builder = new ServiceCollection().AddAgentBill();

        var refused = Assert.Throws<ArgumentException>(() => builder.UsePostgres("Host=localhost;Port=not-a-number;Frobnicate=1"));
        Assert.Throws<ArgumentException>(() => builder.UsePostgres(" "));

        Assert.Equal("connectionString", refused.ParamName);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_is_an_outage()
    {
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={UnusedPort()};Username=agentbill;Timeout=5");

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await new PostgresBudgetLedger(dataSource).GetBudgetAsync(Key, CancellationToken.None));
        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => PostgresBudgetLedger.MigrateAsync(dataSource));
    }

    [Fact]
    public async Task A_database_the_server_does_not_have_is_named_in_the_error()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString()) { Database = "no_such_ledger" };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await new PostgresBudgetLedger(dataSource).GetBudgetAsync(Key, CancellationToken.None));

        Assert.Equal("no_such_ledger", refused.Database);
        Assert.Contains("does not exist", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_the_server_refuses_is_named_in_the_error()
    {
        var builder = new NpgsqlConnectionStringBuilder(postgres.Server.ConnectionString()) { Username = "nobody_here" };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresLedgerSchemaException>(() => PostgresBudgetLedger.MigrateAsync(dataSource));

        Assert.Contains("refused the login", refused.Message, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
