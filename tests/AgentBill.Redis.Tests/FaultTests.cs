using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>What the gate does when its Redis goes away mid-run, and when it comes back.</summary>
public sealed class FaultTests : IAsyncLifetime
{
    private RedisServer _server = null!;
    private ConnectionMultiplexer _connection = null!;

    public async ValueTask InitializeAsync()
    {
        // Persisted, so a restart brings the ledger back as it was.
        _server = await RedisServer.StartAsync("--appendonly", "yes", "--appendfsync", "always");
        var options = ConfigurationOptions.Parse(_server.EndPoint);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.AsyncTimeout = 1000;
        options.SyncTimeout = 1000;
        _connection = await ConnectionMultiplexer.ConnectAsync(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Fail_closed_preflight_throws_unavailable_when_redis_is_down()
    {
        await using var bill = Client(AgentBillFailureMode.FailClosed);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));

        _server.Kill();

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync("researcher", 10, "acme"));
    }

    [Fact]
    public async Task Fail_open_preflight_approves_degraded_when_redis_is_down()
    {
        await using var bill = Client(AgentBillFailureMode.FailOpen);

        _server.Kill();
        var result = await bill.PreflightAsync("researcher", 10, "acme");

        Assert.True(result.Approved);
        Assert.True(result.IsDegraded);
    }

    [Fact]
    public async Task A_record_made_during_an_outage_lands_exactly_once_after_the_restart()
    {
        var retrying = new RetrySignal();
        await using var bill = Client(AgentBillFailureMode.FailClosed, retrying);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        _server.Kill();
        var recording = bill.RecordAsync("researcher", 42, "acme").AsTask();
        await retrying.FirstRetry.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await _server.StartAsync();
        var result = await recording.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(42, result.Units);
        Assert.Equal(42, (await bill.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task Fail_closed_preflight_throws_unavailable_when_redis_stops_answering()
    {
        await using var bill = Client(AgentBillFailureMode.FailClosed);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));

        await _server.FreezeAsync();
        try
        {
            await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync("researcher", 10, "acme"));
        }
        finally
        {
            await _server.ThawAsync();
        }
    }

    [Fact]
    public async Task A_record_that_timed_out_while_redis_was_frozen_lands_exactly_once_when_it_answers_again()
    {
        // The timed-out attempt still sits in the server's socket and runs on thaw; the retries must replay it.
        var retrying = new RetrySignal();
        await using var bill = Client(AgentBillFailureMode.FailClosed, retrying);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        await _server.FreezeAsync();
        var recording = bill.RecordAsync("researcher", 42, "acme").AsTask();
        await retrying.FirstRetry.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await _server.ThawAsync();
        await recording.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(42, (await bill.GetUsageAsync(scope)).Used);
    }

    [Fact]
    public async Task A_commit_that_timed_out_while_redis_was_frozen_settles_its_hold_exactly_once()
    {
        var retrying = new RetrySignal();
        await using var bill = Client(AgentBillFailureMode.FailClosed, retrying);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await using var reservation = await bill.ReserveAsync("researcher", 50, "acme");

        await _server.FreezeAsync();
        var committing = reservation.CommitAsync(42).AsTask();
        await retrying.FirstRetry.Task.WaitAsync(TimeSpan.FromMinutes(1));
        await _server.ThawAsync();
        await committing.WaitAsync(TimeSpan.FromMinutes(1));

        var usage = await bill.GetUsageAsync(scope);
        Assert.Equal((42L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_commit_refused_by_a_whole_outage_is_committed_again_on_the_same_handle_after_the_restart_and_lands_once()
    {
        await using var bill = Client(AgentBillFailureMode.FailClosed, attempts: 1);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await using var reservation = await bill.ReserveAsync("researcher", 50, "acme");

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _connection.ConnectionRestored += (_, _) => restored.TrySetResult();
        _server.Kill();
        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await reservation.CommitAsync(42));
        await _server.StartAsync();
        // What the docs tell a caller to do: commit again on the same handle once the store is back.
        await restored.Task.WaitAsync(TimeSpan.FromMinutes(1));
        var committed = await reservation.CommitAsync(42);
        var redelivered = await bill.RecordAsync(new RecordRequest("researcher", 42) { CustomerId = "acme", ReservationId = reservation.Id });

        Assert.False(committed.IsReplay);
        Assert.True(redelivered.IsReplay);
        var usage = await bill.GetUsageAsync(scope);
        Assert.Equal((42L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_preflight_that_timed_out_while_redis_was_frozen_leaves_no_hold_once_it_answers()
    {
        var released = new LogSignal(id: 9);
        await using var bill = Client(AgentBillFailureMode.FailClosed, released);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        await _server.FreezeAsync();
        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync("researcher", 60, "acme"));
        await _server.ThawAsync();
        await released.Logged.Task.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(await bill.GetOpenHoldsAsync("acme"));
        Assert.Equal(0, (await bill.GetUsageAsync(scope)).Reserved);
        Assert.True((await bill.PreflightAsync("researcher", 100, "acme")).Approved);
    }

    private AgentBillClient Client(AgentBillFailureMode mode, ILogger<AgentBillClient>? logger = null, int attempts = 12) => new(
        new RedisBudgetLedger(_connection, new RedisLedgerOptions { KeyPrefix = "f" + Guid.NewGuid().ToString("N") }),
        new AgentBillOptions { FailureMode = mode, StoreTimeout = TimeSpan.FromSeconds(2), RecordAttempts = attempts, RecordRetryDelay = TimeSpan.FromMilliseconds(100) },
        logger: logger);

    /// <summary>Learns from the client's log that a record failed and will be tried again.</summary>
    private sealed class RetrySignal() : LogSignal(id: 3)
    {
        public TaskCompletionSource FirstRetry => Logged;
    }

    /// <summary>Learns from the client's log that something happened: the event with the given id was logged.</summary>
    private class LogSignal(int id) : ILogger<AgentBillClient>
    {
        public TaskCompletionSource Logged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == id)
            {
                Logged.TrySetResult();
            }
        }
    }
}
