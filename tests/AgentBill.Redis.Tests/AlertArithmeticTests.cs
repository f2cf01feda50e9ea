using AgentBill.Ledger;

namespace AgentBill.Redis.Tests;

/// <summary>
/// Lua numbers are doubles, exact only up to 2^53; an alert decision multiplies amounts past that. The store
/// decides thresholds in integers, as the in-memory store does with Int128.
/// </summary>
public sealed class AlertArithmeticTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    // 999,999,999,999,999 × 99 % = 989,999,999,999,999.01: doubles round both sides of the comparison to one value.
    private const long Limit = 999_999_999_999_999;
    private const long JustBelow = 989_999_999_999_999;

    [Fact]
    public async Task A_threshold_one_hundredth_of_a_unit_away_is_not_raised()
    {
        var ledger = await LedgerWithBudgetAsync();

        var charge = await ledger.ChargeAsync(Charge(JustBelow), CancellationToken.None);

        Assert.Empty(charge.Alerts);
    }

    [Fact]
    public async Task The_next_unit_raises_the_threshold()
    {
        var ledger = await LedgerWithBudgetAsync();
        await ledger.ChargeAsync(Charge(JustBelow), CancellationToken.None);

        var charge = await ledger.ChargeAsync(Charge(1), CancellationToken.None);

        var alert = Assert.Single(charge.Alerts);
        Assert.Equal((99, JustBelow + 1, Limit), (alert.ThresholdPercent, alert.Used, alert.Limit));
    }

    private async Task<RedisBudgetLedger> LedgerWithBudgetAsync()
    {
        var ledger = redis.CreateLedger();
        await ledger.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.MicroUsd, Limit, BudgetPeriod.Lifetime), CancellationToken.None);
        return ledger;
    }

    private static ChargeCommand Charge(long units)
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var call = new LedgerCall
        {
            CustomerId = "acme",
            AgentId = "researcher",
            Meter = UsageMeter.MicroUsd,
            Now = now,
            Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(now),
            RememberUntil = now.AddHours(1),
            AlertThresholds = [99],
        };
        return new ChargeCommand(call, units, ReservationId: null, SettleOldestHold: false);
    }
}
