using System.Net;
using System.Net.Sockets;
using AgentBill.Postgres;
using AgentBill.Postgres.Tests;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AgentBill.Server.Tests.Keys;

/// <summary>The key store in the PostgreSQL ledger's database, in the table the ledger's migration made.</summary>
public sealed class PostgresApiKeyStoreTests : ApiKeyStoreTests, IClassFixture<PostgresKeysFixture>, IAsyncDisposable
{
    private readonly PostgresKeysFixture _postgres;
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private string? _connectionString;

    public PostgresApiKeyStoreTests(PostgresKeysFixture postgres) => _postgres = postgres;

    /// <summary>A new migrated database per test; <paramref name="shared"/> true gives a store of its own (its own pool) on the same one.</summary>
    protected override async ValueTask<IApiKeyStore> CreateStoreAsync(bool shared = false)
    {
        if (!shared || _connectionString is null)
        {
            _connectionString = await _postgres.CreateDatabaseAsync();
            await PostgresBudgetLedger.MigrateAsync(DataSource(_connectionString), TestContext.Current.CancellationToken);
        }

        return new PostgresApiKeyStore(DataSource(_connectionString));
    }

    [Fact]
    public async Task A_key_with_a_stored_id_but_another_hash_is_refused_and_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var issued = await new ApiKeys(store, new FakeTimeProvider()).CreateAsync("agent", ApiKeyScope.Metering);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AddAsync(issued.Record with { Hash = new string('0', 64), Name = "copy" }));

        Assert.Equal("agent", Assert.Single(await store.ListAsync()).Name);
    }

    [Fact]
    public async Task Two_revocations_at_once_both_answer_true_and_the_key_keeps_one_time_in_its_record_and_its_column()
    {
        var first = await CreateStoreAsync();
        var second = await CreateStoreAsync(shared: true);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var issued = await new ApiKeys(first, time).CreateAsync("agent", ApiKeyScope.Metering);
        var early = time.GetUtcNow();
        var late = early.AddMinutes(5);

        var answers = await Task.WhenAll(
            Task.Run(async () => await first.RevokeAsync(issued.Record.Id, early), TestContext.Current.CancellationToken),
            Task.Run(async () => await second.RevokeAsync(issued.Record.Id, late), TestContext.Current.CancellationToken));

        Assert.Equal([true, true], answers);
        var revokedAt = Assert.Single(await first.ListAsync()).RevokedAt;
        Assert.Contains(revokedAt, new DateTimeOffset?[] { early, late });
        await using var command = DataSource(_connectionString!).CreateCommand("SELECT revoked_at FROM agentbill_api_keys");
        Assert.Equal(revokedAt!.Value.UtcTicks, (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
    }

    [Fact]
    public async Task A_database_whose_ledger_was_never_made_is_a_schema_error_naming_the_migration_and_the_store_makes_no_table()
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        var store = new PostgresApiKeyStore(DataSource(connectionString));
        var record = (await new ApiKeys(new InMemoryApiKeyStore(), new FakeTimeProvider()).CreateAsync("agent", ApiKeyScope.Metering)).Record;

        var refusals = new[]
        {
            await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await store.FindAsync(record.Hash)),
            await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await store.AddAsync(record)),
            await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await store.ListAsync()),
            await Assert.ThrowsAsync<PostgresLedgerSchemaException>(async () => await store.RevokeAsync(record.Id, DateTimeOffset.UnixEpoch)),
        };

        Assert.All(refusals, refusal => Assert.Contains("agentbill ledger init --postgres", refusal.Message, StringComparison.Ordinal));
        await using var command = DataSource(connectionString).CreateCommand("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_database_that_does_not_answer_is_an_outage_not_a_missing_key()
    {
        // A loopback port nobody listens on: the connection is refused at once.
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var store = new PostgresApiKeyStore(DataSource($"Host=127.0.0.1;Port={port};Username=agentbill;Database=agentbill;Timeout=5"));

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await store.FindAsync(new string('0', 64)));
        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await store.ListAsync());
        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await store.RevokeAsync("0123456789abcdef", DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void The_server_keeps_a_postgres_ledgers_keys_in_its_database_bare_or_behind_the_resilience_wrapper()
    {
        var ledger = new PostgresBudgetLedger(DataSource("Host=127.0.0.1;Username=agentbill;Database=agentbill"));

        Assert.IsType<PostgresApiKeyStore>(ApiKeyStoreSelection.For(ledger));
        using var resilient = new AgentBill.Ledger.ResilientBudgetLedger(ledger);
        Assert.IsType<PostgresApiKeyStore>(ApiKeyStoreSelection.For(resilient));
    }

    [Fact]
    public async Task A_server_on_a_postgres_ledger_keeps_its_keys_in_that_database_for_every_server_on_it()
    {
        var connectionString = await _postgres.CreateDatabaseAsync();
        await PostgresBudgetLedger.MigrateAsync(DataSource(connectionString), TestContext.Current.CancellationToken);

        await using var first = await LoopbackServer.StartAsync(agentBill => agentBill.UsePostgres(connectionString));
        Assert.IsType<PostgresApiKeyStore>(first.Services.GetRequiredService<IApiKeyStore>());
        await using var second = await LoopbackServer.StartAsync(agentBill => agentBill.UsePostgres(connectionString));
        using var client = second.CreateClient(first.MeteringKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("budget?customer_id=alice", TestContext.Current.CancellationToken)).StatusCode);
        await using var command = DataSource(connectionString).CreateCommand("SELECT count(*) FROM agentbill_api_keys");
        Assert.Equal(4L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    private NpgsqlDataSource DataSource(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        _dataSources.Add(dataSource);
        return dataSource;
    }
}

/// <summary>One test-owned PostgreSQL server for a test class; each test makes a database of its own on it.</summary>
public sealed class PostgresKeysFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    /// <summary>Creates an empty database on the server.</summary>
    /// <returns>Its connection string.</returns>
    public Task<string> CreateDatabaseAsync() => _server!.CreateDatabaseAsync();

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
