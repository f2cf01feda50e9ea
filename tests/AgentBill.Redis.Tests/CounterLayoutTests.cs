using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// A ledger written before a scope's counters were packed in one field (one field per counter and period, holds
/// kept per period) keeps working: its numbers are read where they are until a call counts in their period, which
/// folds them into the scope's packed field and removes them in the same write; a past period's stay readable.
/// </summary>
public sealed class CounterLayoutTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const char Id = '\x1e';
    private const char Part = '\x1c';
    private const char Field = '\x1f';
    private const char Entry = '\x1d';

    [Fact]
    public async Task Counters_of_the_layout_before_are_read_then_folded_into_one_field_and_past_periods_kept()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N");
        var ledger = redis.CreateLedger(prefix);
        await using var bill = new AgentBillClient(ledger);
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var open = await bill.PreflightAsync("researcher", 30, "acme");
        var book = new RedisKeys(prefix).Book("acme");
        var database = redis.Connection.GetDatabase();

        // Rewrite the customer's hash as the layout before wrote it: the hold's 30 units and 10 settled units in one
        // field per counter (the periods the hold was approved in, from its record), and a past day's usage.
        var record = ((string)(await database.HashGetAsync(book, "h" + Part + open.ReservationId))!).Split(Field);
        string[] periods = [PeriodKeys.Lifetime, record[7], record[8], record[9]];
        var past = DateTimeOffset.UtcNow.AddDays(-3);
        var pastDay = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(past).Day;
        string[] scopes = ["c" + Id + "0", "a" + Id + "0" + Id + "researcher"];
        foreach (var scopeField in scopes)
        {
            Assert.True(await database.HashDeleteAsync(book, "P" + Part + scopeField));
            foreach (var period in periods)
            {
                await database.HashSetAsync(book, [new("u" + Part + scopeField + Entry + period, 10), new("r" + Part + scopeField + Entry + period, 30)]);
            }

            await database.HashSetAsync(book, "u" + Part + scopeField + Entry + pastDay, 55);
        }

        var before = await bill.GetUsageAsync(scope, period: BudgetPeriod.Month);
        var refused = await bill.PreflightAsync("researcher", 61, "acme");
        var fresh = await bill.PreflightAsync("researcher", 60, "acme");
        await bill.RecordAsync(new RecordRequest("researcher", 25) { CustomerId = "acme", ReservationId = open.ReservationId });

        Assert.Equal((10, 30), (before.Used, before.Reserved));
        Assert.False(refused.Approved);
        Assert.True(fresh.Approved);
        foreach (var period in new[] { BudgetPeriod.Lifetime, BudgetPeriod.Month })
        {
            var after = await bill.GetUsageAsync(scope, period: period);
            Assert.Equal((35, 60), (after.Used, after.Reserved));
        }

        var agent = await bill.GetUsageAsync(BudgetScope.Agent("acme", "researcher"));
        Assert.Equal((35, 60), (agent.Used, agent.Reserved));
        foreach (var scopeField in scopes)
        {
            // Folded into the packed field: the fields of the counted periods are gone, the past day's kept.
            foreach (var period in periods)
            {
                Assert.False(await database.HashExistsAsync(book, "u" + Part + scopeField + Entry + period));
                Assert.False(await database.HashExistsAsync(book, "r" + Part + scopeField + Entry + period));
            }

            Assert.True(await database.HashExistsAsync(book, "P" + Part + scopeField));
        }

        // The agent has no budget of its own, so the period asked for is the one read.
        var pastUsage = await bill.GetUsageAsync(BudgetScope.Agent("acme", "researcher"), at: past, period: BudgetPeriod.Day);
        Assert.Equal(55, pastUsage.Used);
    }

    [Fact]
    public async Task A_new_day_archives_the_past_day_and_folds_in_usage_counted_beside_the_packed_field()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var ledger = redis.CreateLedger(prefix);
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions(), time);
        var scope = BudgetScope.Customer("acme");
        var agent = BudgetScope.Agent("acme", "researcher");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await bill.RecordAsync(new RecordRequest("researcher", 10) { CustomerId = "acme" });
        var firstDay = time.GetUtcNow();

        // An earlier version of the library, running beside this one during a deployment, counts in its own field.
        var book = new RedisKeys(prefix).Book("acme");
        var database = redis.Connection.GetDatabase();
        var month = "u" + Part + "c" + Id + "0" + Entry + new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(firstDay).Month;
        await database.HashSetAsync(book, month, 40);
        time.Advance(TimeSpan.FromDays(1));
        await bill.RecordAsync(new RecordRequest("researcher", 5) { CustomerId = "acme" });

        Assert.Equal(55, (await bill.GetUsageAsync(scope)).Used);
        Assert.False(await database.HashExistsAsync(book, month));
        Assert.Equal(10, (await bill.GetUsageAsync(agent, at: firstDay, period: BudgetPeriod.Day)).Used);
        Assert.Equal(5, (await bill.GetUsageAsync(agent, period: BudgetPeriod.Day)).Used);
        Assert.Equal(15, (await bill.GetUsageAsync(agent)).Used);

        // The usage report reads the packed field's periods and the archived day alike.
        var page = await ledger.GetUsageReportAsync(new UsageReportQuery { CustomerId = "acme" }, null, 100, CancellationToken.None);
        var customerRows = page.Rows.Where(row => row.Key.Scope == scope).Select(row => (row.PeriodKey, row.Used)).Order().ToArray();
        Assert.Equal([("all", 15L), ("d:2026-11-23", 10L), ("d:2026-11-24", 5L), ("m:2026-11", 55L), ("w:2026-11-23", 15L)], customerRows);
    }
}
