using System.Diagnostics;
using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Tests;

/// <summary>DESIGN §3.8: what the gate does when its store cannot be reached.</summary>
public sealed class FailureModeTests
{
    [Fact]
    public async Task Fail_closed_preflight_throws_unavailable()
    {
        await using var client = new AgentBillClient(new UnreachableLedger());

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await client.PreflightAsync("researcher", 5));
    }

    [Fact]
    public async Task Fail_open_preflight_approves_without_a_hold_and_marks_the_result_degraded()
    {
        await using var client = new AgentBillClient(new UnreachableLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });

        var result = await client.PreflightAsync("researcher", 5);

        Assert.True(result.Approved);
        Assert.True(result.IsDegraded);
        Assert.Null(result.ReservationId);
    }

    [Fact]
    public async Task Fail_open_still_refuses_what_the_ceiling_refuses()
    {
        await using var client = new AgentBillClient(new UnreachableLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen, Ceiling = 3 });

        var result = await client.PreflightAsync("researcher", 5);

        Assert.False(result.Approved);
        Assert.Equal(RefusalReason.CeilingExceeded, result.Reason);
    }

    [Fact]
    public async Task Committing_a_degraded_run_charges_directly_and_never_settles_another_calls_hold()
    {
        var ledger = new SwitchableLedger();
        await ledger.SetBudgetAsync(new Budget(BudgetScope.Customer("default"), UsageMeter.Units, 100, BudgetPeriod.Lifetime), default);
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });
        await using var healthy = await client.ReserveAsync("researcher", 30);
        ledger.ReserveFails = true;
        await using var degraded = await client.ReserveAsync("researcher", 30);
        ledger.ReserveFails = false;

        var result = await degraded.CommitAsync(12);

        Assert.True(degraded.Result.IsDegraded);
        Assert.Null(result.SettledReservationId);
        Assert.Equal(healthy.Id, Assert.Single(await client.GetOpenHoldsAsync()).ReservationId);
        var usage = await client.GetUsageAsync(BudgetScope.Customer("default"));
        Assert.Equal((12L, 30L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_record_is_retried_with_one_idempotency_key_until_it_lands()
    {
        var time = new FakeTimeProvider();
        var ledger = new FlakyLedger(failures: 2);
        await ledger.SetBudgetAsync(new Budget(BudgetScope.Customer("default"), UsageMeter.Units, 100, BudgetPeriod.Lifetime), default);
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { RecordAttempts = 3, RecordRetryDelay = TimeSpan.FromSeconds(1) }, time);

        var recording = client.RecordAsync("researcher", 7).AsTask();
        await AdvanceUntil(time, () => recording.IsCompleted);
        var result = await recording;

        Assert.Equal(7, result.Units);
        Assert.Equal(3, ledger.Keys.Count);
        Assert.Single(ledger.Keys.Distinct());
        Assert.All(ledger.Keys, key => Assert.False(string.IsNullOrEmpty(key)));
        Assert.Equal(7, (await ledger.GetUsageAsync(new BudgetKey(BudgetScope.Customer("default"), UsageMeter.Units), PeriodKeys.Lifetime, time.GetUtcNow(), default)).Used);
    }

    [Fact]
    public async Task A_record_that_never_lands_surfaces_the_outage_after_every_attempt()
    {
        var time = new FakeTimeProvider();
        var ledger = new FlakyLedger(failures: int.MaxValue);
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { RecordAttempts = 2, RecordRetryDelay = TimeSpan.FromSeconds(1) }, time);

        var recording = client.RecordAsync("researcher", 7).AsTask();
        await AdvanceUntil(time, () => recording.IsCompleted);

        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => recording);
        Assert.Equal(2, ledger.Keys.Count);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_in_time_counts_as_unreachable()
    {
        var time = new FakeTimeProvider();
        var ledger = new HangingLedger();
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(2) }, time);

        var preflight = client.PreflightAsync("researcher", 5).AsTask();
        await ledger.Called.Task;
        time.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<AgentBillUnavailableException>(() => preflight);
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    /// <summary>
    /// Moves the fake clock on until the condition holds. The retry loop registers its backoff timer after the
    /// failed attempt returns, so the test cannot know the moment to advance; over-advancing only shortens waits.
    /// </summary>
    private static async Task AdvanceUntil(FakeTimeProvider time, Func<bool> condition)
    {
        while (!condition())
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Yield();
        }
    }

    /// <summary>A store that is down: every call throws as a real store's adapter would.</summary>
    /// <summary>Fails the first charges, then lands them; remembers the idempotency key of every attempt.</summary>
    private sealed class FlakyLedger(int failures) : DelegatingLedger
    {
        private int _failuresLeft = failures;

        public List<string> Keys { get; } = [];

        public override ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        {
            Keys.Add(command.Call.IdempotencyKey!);
            return _failuresLeft-- > 0
                ? ValueTask.FromException<ChargeOutcome>(new AgentBillUnavailableException("store down"))
                : base.ChargeAsync(command, cancellationToken);
        }
    }

    /// <summary>A store whose reserve can be made to fail, as during a short outage.</summary>
    private sealed class SwitchableLedger : DelegatingLedger
    {
        public bool ReserveFails { get; set; }

        public override ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
            => ReserveFails ? ValueTask.FromException<ReserveOutcome>(new AgentBillUnavailableException("down")) : base.ReserveAsync(command, cancellationToken);
    }

    /// <summary>A store whose reserve never answers.</summary>
    private sealed class HangingLedger : DelegatingLedger
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }
}
