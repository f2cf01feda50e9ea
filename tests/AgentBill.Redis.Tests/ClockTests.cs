using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>
/// With the server's clock (the default), every client judges expiry by one clock; a client whose own clock is proven
/// further from the server's than the bound (ahead: by the script; behind: by the client, from the server's time in a
/// reply or a probe) is refused before anything is held, whatever its failure mode.
/// </summary>
public sealed class ClockTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_client_whose_clock_is_past_the_bound_is_refused_and_cannot_see_another_clients_hold_as_expired()
    {
        var prefix = "s" + Guid.NewGuid().ToString("N");
        var options = new RedisLedgerOptions { KeyPrefix = prefix, MaxClockSkew = TimeSpan.FromSeconds(5) };
        await using var onTime = new AgentBillClient(new RedisBudgetLedger(redis.Connection, options), new AgentBillOptions { ReservationTtl = TimeSpan.FromSeconds(30) });
        // Ahead by more than the hold's time to live: with its own clock it would see the hold as expired.
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(6));
        await using var fast = new AgentBillClient(new RedisBudgetLedger(redis.Connection, options), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen }, ahead);
        var scope = BudgetScope.Customer("acme");
        await onTime.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        var held = await onTime.PreflightAsync("researcher", 100, "acme");

        var refused = await Assert.ThrowsAsync<ClockSkewException>(async () => await fast.PreflightAsync("researcher", 100, "acme"));
        await Assert.ThrowsAsync<ClockSkewException>(async () => await fast.RecordAsync("researcher", 100, "acme"));

        Assert.True(held.Approved);
        Assert.InRange(refused.Skew, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(7));
        var usage = await onTime.GetUsageAsync(scope);
        Assert.Equal((0L, 100L), (usage.Used, usage.Reserved));
        Assert.False((await onTime.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task Under_the_server_clock_a_hold_expires_by_the_servers_time_whatever_a_client_within_the_bound_says()
    {
        var prefix = "e" + Guid.NewGuid().ToString("N");
        var options = new RedisLedgerOptions { KeyPrefix = prefix, MaxClockSkew = TimeSpan.FromSeconds(30) };
        var ledger = new RedisBudgetLedger(redis.Connection, options);
        // Twenty seconds ahead, inside the bound: its hold of ten seconds lasts ten seconds of the server's time.
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(20));
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { ReservationTtl = TimeSpan.FromSeconds(10) }, ahead);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        var before = DateTimeOffset.UtcNow;

        var held = await client.PreflightAsync("researcher", 100, "acme");

        // The expiry is the server's now plus the time to live, not the client's (twenty seconds later).
        Assert.InRange(held.ExpiresAt!.Value, before.AddSeconds(9), DateTimeOffset.UtcNow.AddSeconds(11));
        Assert.False((await client.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task A_client_whose_clock_is_behind_past_the_bound_is_refused_at_its_first_call_before_anything_is_sent()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "b" + Guid.NewGuid().ToString("N"), MaxClockSkew = TimeSpan.FromSeconds(5) };
        await using var slow = new AgentBillClient(new RedisBudgetLedger(redis.Connection, options), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen }, new ShiftedClock { Shift = TimeSpan.FromMinutes(-6) });
        await using var onTime = new AgentBillClient(new RedisBudgetLedger(redis.Connection, options));

        var refused = await Assert.ThrowsAsync<ClockSkewException>(async () => await slow.PreflightAsync("researcher", 100, "acme"));
        await Assert.ThrowsAsync<ClockSkewException>(async () => await slow.RecordAsync("researcher", 100, "acme"));

        Assert.InRange(refused.Skew, TimeSpan.FromMinutes(-7), TimeSpan.FromMinutes(-5));
        var usage = await onTime.GetUsageAsync(BudgetScope.Customer("acme"));
        Assert.Equal((0L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_reply_that_proves_the_clock_behind_is_honoured_and_the_next_call_is_refused_after_a_probe()
    {
        var options = new RedisLedgerOptions { KeyPrefix = "p" + Guid.NewGuid().ToString("N"), MaxClockSkew = TimeSpan.FromSeconds(5) };
        var clock = new ShiftedClock();
        await using var client = new AgentBillClient(new RedisBudgetLedger(redis.Connection, options), new AgentBillOptions(), clock);
        Assert.True((await client.PreflightAsync("researcher", 1, "acme")).Approved);

        // The clock falls behind after the first call's probe: the script cannot tell it from a late request, so the
        // call runs (under the server's clock); its reply proves the skew, and the next call probes and is refused.
        clock.Shift = TimeSpan.FromMinutes(-6);
        var honoured = await client.RecordAsync("researcher", 5, "acme");
        var refused = await Assert.ThrowsAsync<ClockSkewException>(async () => await client.RecordAsync("researcher", 5, "acme"));
        clock.Shift = TimeSpan.Zero;
        var again = await client.PreflightAsync("researcher", 1, "acme");

        Assert.Equal(5, honoured.Units);
        Assert.True(refused.Skew < TimeSpan.FromMinutes(-5));
        Assert.True(again.Approved);
        Assert.Equal(5, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public void The_bound_is_positive_and_at_most_a_minute()
    {
        Assert.Throws<ArgumentException>(() => new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { MaxClockSkew = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { MaxClockSkew = TimeSpan.FromMinutes(2) }));
        Assert.Throws<ArgumentException>(() => new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { UsageRetention = TimeSpan.FromHours(1) }));
    }

    /// <summary>The system clock moved by <see cref="Shift"/>, which a test changes as it goes.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }
}
