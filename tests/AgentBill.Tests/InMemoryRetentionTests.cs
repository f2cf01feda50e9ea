using AgentBill.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Tests;

/// <summary>The embedded store's memory follows its active customers: reads make nothing, idle customers go after the retention.</summary>
public sealed class InMemoryRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(62);

    [Fact]
    public async Task Reading_customers_that_never_called_keeps_nothing()
    {
        var ledger = new InMemoryBudgetLedger();
        await using var bill = new AgentBillClient(ledger);

        for (var i = 0; i < 1_000; i++)
        {
            var scope = BudgetScope.Customer($"reader-{i}");
            await bill.GetUsageAsync(scope);
            await bill.GetBudgetAsync(scope);
            await bill.GetOpenHoldsAsync($"reader-{i}");
            await bill.RemoveBudgetAsync(scope);
        }

        Assert.Equal(0, ledger.CustomerCount);
    }

    [Fact]
    public async Task Customers_that_called_once_are_dropped_after_the_retention_and_kept_before_it()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new InMemoryBudgetLedger();
        await using var bill = new AgentBillClient(ledger, timeProvider: time);
        for (var i = 0; i < 1_000; i++)
        {
            await bill.RecordAsync("researcher", 1, $"tenant-{i}");
        }

        time.Advance(Retention - TimeSpan.FromMinutes(1));
        await TouchAsync(bill, 300);
        var before = ledger.CustomerCount;
        time.Advance(TimeSpan.FromMinutes(2));
        await TouchAsync(bill, 300);

        Assert.Equal(1_001, before);
        Assert.Equal(1, ledger.CustomerCount);
        Assert.Equal(0, (await bill.GetUsageAsync(BudgetScope.Customer("tenant-7"))).Used);
    }

    [Fact]
    public async Task A_customer_with_a_budget_or_an_open_hold_is_never_dropped()
    {
        var time = new FakeTimeProvider(Start);
        var ledger = new InMemoryBudgetLedger();
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions { ReservationTtl = TimeSpan.FromDays(365) }, time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("budgeted"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await bill.RecordAsync("researcher", 40, "budgeted");
        await bill.PreflightAsync("researcher", 5, "holding");

        time.Advance(Retention * 3);
        await TouchAsync(bill, 10);

        Assert.Equal(40, (await bill.GetUsageAsync(BudgetScope.Customer("budgeted"))).Used);
        Assert.Single(await bill.GetOpenHoldsAsync("holding"));
    }

    [Fact]
    public async Task A_customer_active_within_the_retention_keeps_its_past_month()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero));
        await using var bill = new AgentBillClient(new InMemoryBudgetLedger(), timeProvider: time);
        await bill.RecordAsync("researcher", 9, "acme");

        time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        await bill.RecordAsync("researcher", 1, "acme");

        var october = await bill.GetUsageAsync(BudgetScope.Customer("acme"), at: new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero), period: BudgetPeriod.Month);
        Assert.Equal(9, october.Used);
    }

    [Fact]
    public void A_retention_that_is_not_positive_is_refused_naming_it()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryBudgetLedger(new InMemoryBudgetLedgerOptions { UsageRetention = TimeSpan.Zero }));

        Assert.Contains(nameof(InMemoryBudgetLedgerOptions.UsageRetention), ex.Message);
    }

    /// <summary>Operations of one active customer, each of which looks at a few idle books on its way.</summary>
    private static async Task TouchAsync(AgentBillClient bill, int operations)
    {
        for (var i = 0; i < operations; i++)
        {
            await bill.RecordAsync("researcher", 1, "active");
        }
    }
}
