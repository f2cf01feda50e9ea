using AgentBill.Ledger;

namespace AgentBill.Redis.Tests;

/// <summary>
/// The period a call counts in is picked by the ledger's clock among the candidates the client names: a request
/// whose client time is a little behind midnight but that runs after it counts in the new day, week and month.
/// </summary>
public sealed class PeriodChoiceTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public void The_calendar_names_the_periods_around_an_instant_and_picks_the_next_one_past_the_end()
    {
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc);
        var choices = calendar.ChoicesAt(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero));

        Assert.Equal(new PeriodSpan("d:2026-11-29", "d:2026-11-30", "d:2026-12-01", new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), choices.Day);
        Assert.Equal(new PeriodSpan("w:2026-11-23", "w:2026-11-30", "w:2026-12-07", new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)), choices.Week);
        Assert.Equal(new PeriodSpan("m:2026-10", "m:2026-11", "m:2026-12", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), choices.Month);
        Assert.Equal(new PeriodKeys("d:2026-12-01", "w:2026-11-30", "m:2026-12"), choices.At(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero)));
        Assert.Equal(new PeriodKeys("d:2026-11-29", "w:2026-11-23", "m:2026-10"), choices.At(new DateTimeOffset(2026, 10, 31, 23, 0, 0, TimeSpan.Zero)));
        Assert.Equal(calendar.KeysAt(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)), choices.At(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void In_a_time_zone_the_bounds_are_its_midnights()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("UTC+05", TimeSpan.FromHours(5), "UTC+05", "UTC+05");
        var calendar = new PeriodCalendar(zone);
        var choices = calendar.ChoicesAt(new DateTimeOffset(2026, 11, 30, 18, 59, 59, TimeSpan.Zero));

        Assert.Equal("d:2026-11-30", choices.Day.Current);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 19, 0, 0, TimeSpan.Zero), choices.Day.End);
        Assert.Equal(new PeriodKeys("d:2026-12-01", "w:2026-11-30", "m:2026-12"), choices.At(new DateTimeOffset(2026, 11, 30, 19, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_charge_whose_client_time_is_before_midnight_counts_in_the_new_day_week_and_month_when_the_ledger_runs_it_after()
    {
        // Under RedisClock.Client the ledger's now is the call's Now: crafted past the boundary of the candidates a
        // client a second behind would send, it stands for a server already in the new day.
        var ledger = new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { KeyPrefix = "pc" + Guid.NewGuid().ToString("N"), Clock = RedisClock.Client });
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc);
        var clientTime = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);
        var ledgerTime = new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero);
        var call = new LedgerCall
        {
            CustomerId = "acme",
            AgentId = "researcher",
            Meter = UsageMeter.Units,
            Now = ledgerTime,
            Periods = calendar.KeysAt(clientTime),
            Choices = calendar.ChoicesAt(clientTime),
            RememberUntil = ledgerTime.AddMinutes(1),
        };

        await ledger.ChargeAsync(new ChargeCommand(call, 7, null, SettleOldestHold: false), CancellationToken.None);

        var key = new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units);
        foreach (var (old, current) in new[] { ("d:2026-11-30", "d:2026-12-01"), ("w:2026-11-30", "w:2026-11-30"), ("m:2026-11", "m:2026-12") })
        {
            Assert.Equal(7, (await ledger.GetUsageAsync(key, current, ledgerTime, CancellationToken.None)).Used);
            if (old != current)
            {
                Assert.Equal(0, (await ledger.GetUsageAsync(key, old, ledgerTime, CancellationToken.None)).Used);
            }
        }
    }

    [Fact]
    public async Task A_hold_counts_in_the_period_the_ledger_approved_it_in_and_is_settled_there()
    {
        var ledger = new RedisBudgetLedger(redis.Connection, new RedisLedgerOptions { KeyPrefix = "ph" + Guid.NewGuid().ToString("N"), Clock = RedisClock.Client });
        var calendar = new PeriodCalendar(TimeZoneInfo.Utc);
        var clientTime = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);
        var ledgerTime = new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero);
        LedgerCall Call(DateTimeOffset now) => new()
        {
            CustomerId = "acme",
            AgentId = "researcher",
            Meter = UsageMeter.Units,
            Now = now,
            Periods = calendar.KeysAt(clientTime),
            Choices = calendar.ChoicesAt(clientTime),
            RememberUntil = now.AddMinutes(1),
        };

        var held = await ledger.ReserveAsync(new ReserveCommand(Call(ledgerTime), "r1", 10, ledgerTime.AddMinutes(5)), CancellationToken.None);
        await ledger.ChargeAsync(new ChargeCommand(Call(ledgerTime.AddSeconds(1)), 7, "r1", SettleOldestHold: false), CancellationToken.None);

        Assert.True(held.Approved);
        var key = new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units);
        Assert.Equal(7, (await ledger.GetUsageAsync(key, "d:2026-12-01", ledgerTime, CancellationToken.None)).Used);
        Assert.Equal(0, (await ledger.GetUsageAsync(key, "d:2026-11-30", ledgerTime, CancellationToken.None)).Used);
    }
}
