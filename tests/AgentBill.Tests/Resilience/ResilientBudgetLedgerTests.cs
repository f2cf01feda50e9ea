using AgentBill.InMemory;
using AgentBill.Ledger;
using AgentBill.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Tests.Resilience;

/// <summary>The store resilience layer on its own: timeouts, retries with jitter, fail-open, abandoned holds.</summary>
public sealed class ResilientBudgetLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_store_that_answers_at_once_is_passed_through_without_allocating()
    {
        using var layer = new ResilientBudgetLedger(new AnsweringLedger());
        var extend = new ExtendCommand("acme", "r1", Start, Start.AddMinutes(5));
        var charge = new ChargeCommand(Call(Start), 5, "r1");
        for (var i = 0; i < 10; i++)
        {
            _ = layer.ExtendAsync(extend, default);
            _ = layer.ChargeAsync(charge, default);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(layer.ExtendAsync(extend, default).IsCompletedSuccessfully);
            Assert.True(layer.ChargeAsync(charge, default).IsCompletedSuccessfully);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task A_charge_is_retried_with_its_key_after_jittered_waits_each_attempt_stamped_when_sent()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new FlakyLedger(failures: 2);
        var options = new AgentBillOptions { RecordAttempts = 3, RecordRetryDelay = TimeSpan.FromMilliseconds(200) };
        using var layer = Layer(ledger, options, time, random: () => 0);

        var charging = layer.ChargeAsync(new ChargeCommand(Call(Start, key: "k1"), 7, ReservationId: null), default).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(149));
        Assert.Single(ledger.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => ledger.Calls.Count == 2);
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Equal(2, ledger.Calls.Count);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(7, (await charging).Units);
        Assert.Equal([Start, Start.AddMilliseconds(150), Start.AddMilliseconds(450)], ledger.Calls.Select(c => c.Now));
        Assert.All(ledger.Calls, call => Assert.Equal("k1", call.IdempotencyKey));
        Assert.All(ledger.Calls, call => Assert.Equal(TimeSpan.FromHours(1), call.RememberUntil - call.Now));
    }

    [Fact]
    public async Task A_charge_that_never_lands_surfaces_the_outage_after_every_attempt()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new FlakyLedger(failures: int.MaxValue);
        using var layer = Layer(ledger, new AgentBillOptions { RecordAttempts = 2, RecordRetryDelay = TimeSpan.FromSeconds(1) }, time, random: () => 1);

        var charging = layer.ChargeAsync(new ChargeCommand(Call(Start, key: "k1"), 7, ReservationId: null), default).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(1250));

        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => charging);
        Assert.Equal(2, ledger.Calls.Count);
    }

    [Fact]
    public async Task A_client_handed_a_resilient_ledger_tries_a_charge_its_own_number_of_times_not_the_square()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new FlakyLedger(failures: int.MaxValue);
        var options = new AgentBillOptions { RecordAttempts = 2, RecordRetryDelay = TimeSpan.FromSeconds(1) };
        await using var client = new AgentBillClient(new ResilientBudgetLedger(ledger, options, time), options, time);

        var recording = client.RecordAsync("researcher", 7, "acme").AsTask();
        for (var i = 0; i < 20 && !recording.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => recording);
        Assert.Equal(2, ledger.Calls.Count);
    }

    [Fact]
    public async Task A_retry_refused_after_an_attempt_that_got_no_answer_is_an_unknown_outcome()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new FlakyLedger(failures: 1, thenThrow: new AgentBillException("clock skewed"));
        using var layer = Layer(ledger, new AgentBillOptions { RecordAttempts = 3, RecordRetryDelay = TimeSpan.FromSeconds(1) }, time, random: () => 0.5);

        var charging = layer.ChargeAsync(new ChargeCommand(Call(Start, key: "k1"), 7, ReservationId: null), default).AsTask();
        time.Advance(TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<AgentBillUnavailableException>(() => charging);
        Assert.Equal("clock skewed", ex.InnerException!.Message);
        Assert.Equal(2, ledger.Calls.Count);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_within_the_timeout_is_unavailable()
    {
        var time = new FakeTimeProvider(Start);
        using var layer = Layer(new HangingLedger(), new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(2) }, time);

        var extending = layer.ExtendAsync(new ExtendCommand("acme", "r1", Start, Start.AddMinutes(5)), default).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<AgentBillUnavailableException>(() => extending);
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task Fail_closed_refuses_to_guess_a_hold_it_cannot_ask_for()
    {
        using var layer = new ResilientBudgetLedger(new UnreachableLedger());

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await layer.ReserveAsync(Reserve(Start), default));
    }

    [Fact]
    public async Task Fail_open_approves_a_hold_it_cannot_ask_for_as_degraded_with_no_hold()
    {
        using var layer = new ResilientBudgetLedger(new UnreachableLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen });

        var outcome = await layer.ReserveAsync(Reserve(Start), default);

        Assert.True(outcome.Approved);
        Assert.True(outcome.IsDegraded);
        Assert.Null(outcome.ReservationId);
    }

    [Fact]
    public async Task Fail_open_never_approves_a_charge()
    {
        using var layer = new ResilientBudgetLedger(new UnreachableLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen, RecordAttempts = 1 });

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await layer.ChargeAsync(new ChargeCommand(Call(Start), 5, null), default));
    }

    [Fact]
    public async Task A_hold_given_up_on_is_released_by_its_id_once_the_store_answers()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new LateLedger();
        using var layer = Layer(ledger, new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(2) }, time);

        var reserving = layer.ReserveAsync(Reserve(Start), default).AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => reserving);
        Assert.Empty(ledger.Released);

        ledger.Answer.SetResult(new ReserveOutcome { Approved = true, ReservationId = "r-late" });

        await WaitUntil(() => ledger.Released.Count == 1);
        Assert.Equal(("acme", "r-late"), ledger.Released.Single());
    }

    private static ResilientBudgetLedger Layer(IBudgetLedger ledger, AgentBillOptions options, TimeProvider time, Func<double>? random = null)
        => new(ledger, options, time, NullLogger.Instance, new AgentBillTelemetry(null), ownsTelemetry: true, random);

    private static LedgerCall Call(DateTimeOffset now, string? key = null) => new()
    {
        CustomerId = "acme",
        AgentId = "researcher",
        Meter = UsageMeter.Units,
        Now = now,
        Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(now),
        IdempotencyKey = key,
        RememberUntil = now.AddHours(1),
    };

    private static ReserveCommand Reserve(DateTimeOffset now) => new(Call(now), "r-late", 5, now.AddMinutes(5));

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var waited = 0; !condition(); waited += 10)
        {
            Assert.True(waited < 5000, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }

    /// <summary>Answers every call at once, without allocating.</summary>
    private sealed class AnsweringLedger : DelegatingLedger
    {
        private static readonly ChargeOutcome Charged = new() { Units = 5 };

        public override ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken) => new(true);

        public override ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken) => new(Charged);
    }

    /// <summary>Fails the first charges, then lands them; remembers every attempt.</summary>
    private sealed class FlakyLedger(int failures, Exception? thenThrow = null) : DelegatingLedger
    {
        private int _failuresLeft = failures;

        public List<LedgerCall> Calls { get; } = [];

        public override ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(command.Call);
            }

            return _failuresLeft-- > 0
                ? ValueTask.FromException<ChargeOutcome>(new AgentBillUnavailableException("store down"))
                : thenThrow is not null ? ValueTask.FromException<ChargeOutcome>(thenThrow) : new(new ChargeOutcome { Units = command.Units });
        }
    }

    /// <summary>Never answers an extension.</summary>
    private sealed class HangingLedger : DelegatingLedger
    {
        public override async ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return false;
        }
    }

    /// <summary>Answers a reserve only when told to; remembers every release.</summary>
    private sealed class LateLedger : DelegatingLedger
    {
        public TaskCompletionSource<ReserveOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<(string Customer, string Id)> Released { get; } = [];

        public override ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken) => new(Answer.Task);

        public override ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        {
            lock (Released)
            {
                Released.Add((command.CustomerId, command.ReservationId));
            }

            return new(true);
        }
    }
}
