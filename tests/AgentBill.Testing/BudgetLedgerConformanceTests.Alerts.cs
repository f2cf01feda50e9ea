using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Each_threshold_alerts_once_per_budget_per_period_across_clients()
    {
        var ledger = await CreateLedgerAsync();
        var alerts = new List<BudgetAlert>();
        var scope = BudgetScope.Customer("acme");
        var first = CreateClient(ledger, o => o.OnBudgetAlert = Collect);
        var second = CreateClient(ledger, o => o.OnBudgetAlert = Collect);
        await first.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        await first.RecordAsync("researcher", 50, "acme");
        await second.RecordAsync("researcher", 35, "acme"); // 85 %: crosses 80
        await first.RecordAsync("researcher", 10, "acme");  // 95 %: crosses 90
        await second.RecordAsync("researcher", 1, "acme");  // 96 %: nothing new
        await first.RecordAsync("researcher", 20, "acme");  // 116 %: crosses 100
        await second.RecordAsync("researcher", 20, "acme"); // still past 100: nothing new
        await first.DisposeAsync();  // delivers what was raised
        await second.DisposeAsync();

        Assert.Equal([80, 90, 100], alerts.Select(a => a.ThresholdPercent).Order());
        Assert.All(alerts, a => Assert.Equal((new BudgetKey(scope, UsageMeter.Units), "m:2026-11", 100L), (a.Key, a.PeriodKey, a.Limit)));
        Assert.Equal([85L, 95L, 116L], alerts.OrderBy(a => a.ThresholdPercent).Select(a => a.Used));

        ValueTask Collect(BudgetAlert alert, CancellationToken _)
        {
            lock (alerts)
            {
                alerts.Add(alert);
            }

            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_charge_that_jumps_past_several_thresholds_raises_each_of_them()
    {
        var alerts = new List<int>();
        var client = CreateClient(await CreateLedgerAsync(), o => o.OnBudgetAlert = (alert, _) =>
        {
            alerts.Add(alert.ThresholdPercent);
            return ValueTask.CompletedTask;
        });
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 10, BudgetPeriod.Month));

        await client.RecordAsync("researcher", 10, "acme");
        await client.DisposeAsync();

        Assert.Equal([80, 90, 100], alerts);
    }

    [Fact]
    public async Task A_new_period_alerts_again()
    {
        var alerts = new List<string>();
        var client = CreateClient(await CreateLedgerAsync(), o => o.OnBudgetAlert = (alert, _) =>
        {
            alerts.Add($"{alert.PeriodKey}@{alert.ThresholdPercent}");
            return ValueTask.CompletedTask;
        });
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 10, BudgetPeriod.Day));

        await client.RecordAsync("researcher", 8, "acme");
        Time.Advance(TimeSpan.FromDays(1));
        await client.RecordAsync("researcher", 8, "acme");
        await client.DisposeAsync();

        Assert.Equal(["d:2026-11-23@80", "d:2026-11-24@80"], alerts);
    }

    [Fact]
    public async Task A_failing_alert_handler_never_changes_the_accounting()
    {
        var scope = BudgetScope.Customer("acme");
        var ledger = await CreateLedgerAsync();
        var client = CreateClient(ledger, o => o.OnBudgetAlert = (_, _) => throw new InvalidOperationException("pager is down"));
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 10, BudgetPeriod.Month));

        var result = await client.RecordAsync("researcher", 9, "acme", idempotencyKey: "k");
        await client.DisposeAsync();
        await using var reader = CreateClient(ledger);

        Assert.False(result.IsReplay);
        Assert.Equal(9, (await reader.GetUsageAsync(scope)).Used);
    }
}
