using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// A Redis that lost its data (restarted without persistence) is not mistaken for a ledger without budgets: every
/// operation refuses with LedgerDataLostException, whatever the failure mode, until an operator acknowledges.
/// </summary>
public sealed class DataLossTests : IAsyncLifetime
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
    public async Task An_exhausted_budget_lost_in_a_restart_refuses_every_call_until_an_operator_acknowledges()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "l" + Guid.NewGuid().ToString("N") };
        var ledger = new RedisBudgetLedger(_connection, options);
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await bill.RecordAsync("researcher", 100, "acme");
        Assert.False((await bill.PreflightAsync("researcher", 1, "acme")).Approved);

        _server.Kill();
        await _server.StartAsync();
        await WaitUntilConnectedAsync();

        // Fail-open does not let it through: this is not an outage. A process started after the loss knows too.
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.PreflightAsync("researcher", 1, "acme"));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.RecordAsync("researcher", 1, "other"));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime)));
        await using var later = new AgentBillClient(new RedisBudgetLedger(_connection, options));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await later.PreflightAsync("researcher", 1, "acme"));

        // The operator restores the budget and acknowledges; every process goes on, the one that did not acknowledge too.
        var operatorLedger = new RedisBudgetLedger(_connection, options);
        await operatorLedger.AcknowledgeDataLossAsync();
        await using var admin = new AgentBillClient(operatorLedger);
        await admin.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await admin.RecordAsync("researcher", 100, "acme");

        Assert.False((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        Assert.False((await later.PreflightAsync("researcher", 1, "acme")).Approved);
        Assert.True((await bill.PreflightAsync("researcher", 1, "other")).Approved);
    }

    [Fact]
    public async Task A_new_ledger_on_an_empty_server_starts_without_a_loss_and_an_untouched_one_keeps_none()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "n" + Guid.NewGuid().ToString("N") };
        await using var bill = new AgentBillClient(new RedisBudgetLedger(_connection, options));

        Assert.True((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        Assert.Empty(await bill.GetOpenHoldsAsync("nobody"));
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
