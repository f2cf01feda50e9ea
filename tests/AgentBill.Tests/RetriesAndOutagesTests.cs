using System.Diagnostics;
using AgentBill.Ledger;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Tests;

/// <summary>What a caller can rely on when the store fails, times out or is used after the client is gone (issue 12).</summary>
public sealed class RetriesAndOutagesTests
{
    [Fact]
    public async Task A_commit_that_failed_because_the_store_was_unreachable_is_retried_on_the_same_handle_and_lands_once()
    {
        var ledger = new FailingChargesLedger { Failures = 1 };
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { RecordAttempts = 1 });
        await using var reservation = await client.ReserveAsync("researcher", 10, "acme");

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await reservation.CommitAsync(7));
        Assert.False(reservation.IsClosed);
        var retried = await reservation.CommitAsync(7);

        Assert.Equal(reservation.Id, retried.SettledReservationId);
        Assert.Equal(7, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Empty(await client.GetOpenHoldsAsync("acme"));
    }

    [Fact]
    public async Task A_commit_that_landed_but_was_reported_as_failed_replays_when_retried()
    {
        var ledger = new FailingChargesLedger { Failures = 1, LandBeforeFailing = true };
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { RecordAttempts = 1 });
        await using var reservation = await client.ReserveAsync("researcher", 10, "acme");

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await reservation.CommitAsync(7));
        var retried = await reservation.CommitAsync(7);

        Assert.True(retried.IsReplay);
        Assert.Equal(7, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task An_invalid_commit_leaves_the_handle_usable_and_charges_nothing()
    {
        await using var client = new AgentBillClient();
        await using var reservation = await client.ReserveAsync("researcher", 10, "acme");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("actualUnits", async () => await reservation.CommitAsync(-1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("actualUnits", async () => await reservation.CommitAsync(2_000_000_000_000_000));
        await reservation.CommitAsync(5);

        Assert.Equal(5, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task A_preflight_that_timed_out_leaves_no_hold_once_the_store_answers()
    {
        var time = new FakeTimeProvider();
        var ledger = new LateReserveLedger();
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(1) }, time);

        var preflight = client.PreflightAsync("researcher", 10, "acme").AsTask();
        await ledger.Called.Task;
        time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<AgentBillUnavailableException>(() => preflight);
        ledger.Answer.SetResult();
        var released = await ledger.Released.Task;

        Assert.True(released);
        Assert.Empty(await client.GetOpenHoldsAsync("acme"));
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Reserved);
    }

    [Fact]
    public async Task Admin_reads_obey_the_store_timeout()
    {
        var time = new FakeTimeProvider();
        var ledger = new HangingReadsLedger();
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { StoreTimeout = TimeSpan.FromSeconds(1) }, time);

        Task[] reads =
        [
            client.GetUsageAsync(BudgetScope.Customer("acme")).AsTask(),
            client.GetBudgetAsync(BudgetScope.Customer("acme")).AsTask(),
            client.RemoveBudgetAsync(BudgetScope.Customer("acme")).AsTask(),
            client.GetOpenHoldsAsync("acme").AsTask(),
        ];
        time.Advance(TimeSpan.FromSeconds(1));

        foreach (var read in reads)
        {
            await Assert.ThrowsAsync<AgentBillUnavailableException>(() => read);
        }
    }

    public static TheoryData<Action<AgentBillOptions>, string> UnrepresentableOptions => new()
    {
        { o => o.IdempotencyWindow = TimeSpan.MaxValue, "IdempotencyWindow must be at most 366 days." },
        { o => o.ReservationTtl = TimeSpan.MaxValue, "ReservationTtl must be at most 366 days." },
        { o => o.StoreTimeout = TimeSpan.FromDays(60), "StoreTimeout must be at most 10 minutes." },
        { o => o.RecordRetryDelay = TimeSpan.FromDays(1), "RecordRetryDelay must be from zero to 10 minutes." },
    };

    [Theory]
    [MemberData(nameof(UnrepresentableOptions), DisableDiscoveryEnumeration = true)]
    public void Options_the_code_cannot_represent_are_refused_naming_the_option(Action<AgentBillOptions> configure, string failure)
    {
        var options = new AgentBillOptions();
        configure(options);

        var ex = Assert.Throws<OptionsValidationException>(() => new AgentBillClient(options: options));

        Assert.Contains(failure, ex.Failures);
    }

    [Fact]
    public async Task A_per_call_lifetime_the_code_cannot_represent_is_refused_naming_it()
    {
        await using var client = new AgentBillClient();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("ttl", async () => await client.PreflightAsync(new PreflightRequest("researcher") { Ttl = TimeSpan.MaxValue }));
        Assert.Empty(await client.GetOpenHoldsAsync());
    }

    [Fact]
    public async Task A_disposed_client_refuses_every_call()
    {
        var client = new AgentBillClient();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.PreflightAsync("researcher", 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.RecordAsync("researcher", 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.GetUsageAsync(BudgetScope.Customer("acme")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.ReleaseAsync("x"));
    }

    /// <summary>Fails the first charges, optionally after landing them (an answer lost on the way back).</summary>
    private sealed class FailingChargesLedger : DelegatingLedger
    {
        public int Failures { get; set; }

        public bool LandBeforeFailing { get; set; }

        public override async ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        {
            if (Failures > 0)
            {
                Failures--;
                if (LandBeforeFailing)
                {
                    await base.ChargeAsync(command, cancellationToken);
                }

                throw new AgentBillUnavailableException("connection reset");
            }

            return await base.ChargeAsync(command, cancellationToken);
        }
    }

    /// <summary>A reserve that lands only when the test says so, long after the client stopped waiting.</summary>
    private sealed class LateReserveLedger : DelegatingLedger
    {
        public TaskCompletionSource Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
        {
            Called.TrySetResult();
            await Answer.Task;
            return await base.ReserveAsync(command, CancellationToken.None);
        }

        public override async ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        {
            var released = await base.ReleaseAsync(command, cancellationToken);
            Released.TrySetResult(released);
            return released;
        }
    }

    /// <summary>A store whose admin reads never answer.</summary>
    private sealed class HangingReadsLedger : DelegatingLedger
    {
        public override ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken) => new(Never<LedgerUsage>());

        public override ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => new(Never<Budget?>());

        public override ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => new(Never<bool>());

        public override ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken) => new(Never<IReadOnlyList<OpenHold>>());

        private static Task<T> Never<T>() => new TaskCompletionSource<T>().Task;
    }
}
