using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// With <see cref="RedisLedgerOptions.CreateLedgerOnFirstUse"/> off (the production setting) the ledger is created
/// once by <see cref="RedisBudgetLedger.InitializeAsync"/>, and a process that finds none — one started after a loss
/// too — refuses with <see cref="LedgerDataLostException"/> instead of starting an empty ledger.
/// </summary>
public sealed class LedgerInitializationTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private ConnectionMultiplexer _connection = null!;

    public async ValueTask InitializeAsync()
    {
        // Without persistence: a restart comes back empty.
        _server = await RedisServer.StartAsync();
        var options = ConfigurationOptions.Parse(_server.EndPoint);
        options.AbortOnConnectFail = false;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_new_process_after_a_restart_without_persistence_refuses_and_an_initialized_ledger_lets_calls_through()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "i" + Guid.NewGuid().ToString("N"), CreateLedgerOnFirstUse = false };
        await new RedisBudgetLedger(_connection, options).InitializeAsync();
        await using (var bill = new AgentBillClient(new RedisBudgetLedger(_connection, options), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen }))
        {
            var scope = BudgetScope.Customer("acme");
            await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
            await bill.RecordAsync("researcher", 100, "acme");
            Assert.False((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        }

        _server.Kill();
        await _server.StartAsync();
        await WaitUntilConnectedAsync();

        // A process started after the loss, before any that knew the ledger: it refuses, fail-open or not.
        await using var later = new AgentBillClient(new RedisBudgetLedger(_connection, options), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });
        var refused = await Assert.ThrowsAsync<LedgerDataLostException>(async () => await later.PreflightAsync("researcher", 1, "acme"));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await later.RecordAsync("researcher", 1, "acme"));
        Assert.Contains("does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Contains("InitializeAsync", refused.Message, StringComparison.Ordinal);
        Assert.Contains("AcknowledgeDataLossAsync", refused.Message, StringComparison.Ordinal);

        // An operator creates the ledger anew (here: a fresh one; after a real loss they would acknowledge it).
        await new RedisBudgetLedger(_connection, options).InitializeAsync();
        await using var fresh = new AgentBillClient(new RedisBudgetLedger(_connection, options));
        Assert.True((await fresh.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task Without_creation_on_first_use_a_ledger_never_initialized_refuses_and_initializing_twice_changes_nothing()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "j" + Guid.NewGuid().ToString("N"), CreateLedgerOnFirstUse = false };
        await using var bill = new AgentBillClient(new RedisBudgetLedger(_connection, options));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.PreflightAsync("researcher", 1, "acme"));
        Assert.False(await _connection.GetDatabase().KeyExistsAsync(options.KeyPrefix + ":{g}:epoch"));

        var ledger = new RedisBudgetLedger(_connection, options);
        await ledger.InitializeAsync();
        var epoch = (string?)await _connection.GetDatabase().StringGetAsync(options.KeyPrefix + ":{g}:epoch");
        await using var admin = new AgentBillClient(ledger);
        await admin.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 10, BudgetPeriod.Lifetime));
        await new RedisBudgetLedger(_connection, options).InitializeAsync();

        Assert.NotNull(epoch);
        Assert.Equal(epoch, (string?)await _connection.GetDatabase().StringGetAsync(options.KeyPrefix + ":{g}:epoch"));
        Assert.True((await bill.PreflightAsync("researcher", 10, "acme")).Approved);
        Assert.False((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task By_default_the_first_call_creates_the_ledger()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "k" + Guid.NewGuid().ToString("N") };
        Assert.True(options.CreateLedgerOnFirstUse);
        await using var bill = new AgentBillClient(new RedisBudgetLedger(_connection, options));

        Assert.True((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        Assert.True(await _connection.GetDatabase().KeyExistsAsync(options.KeyPrefix + ":{g}:epoch"));
    }

    private async Task WaitUntilConnectedAsync()
    {
        // Bounded polling of what the connection reports: it reconnects on its own after the restart.
        for (var attempt = 0; !_connection.GetServer(_server.EndPoint).IsConnected; attempt++)
        {
            Assert.True(attempt < 600, "the connection did not come back");
            await Task.Delay(50);
        }
    }
}
