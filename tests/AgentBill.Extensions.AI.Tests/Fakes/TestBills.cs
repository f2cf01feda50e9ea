using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>Real AgentBill clients over the in-memory store, on a fake clock.</summary>
internal static class TestBills
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static AgentBillClient Create(FakeTimeProvider? time = null, IBudgetLedger? ledger = null, Action<AgentBillOptions>? configure = null)
    {
        var options = new AgentBillOptions { RecordRetryDelay = TimeSpan.Zero };
        configure?.Invoke(options);
        return new AgentBillClient(ledger, options, time ?? new FakeTimeProvider(Start));
    }

    public static async Task<AgentBillClient> WithBudgetAsync(string customerId, long limit, UsageMeter meter = UsageMeter.MicroUsd, FakeTimeProvider? time = null)
    {
        var client = Create(time);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer(customerId), meter, limit, BudgetPeriod.Lifetime));
        return client;
    }

    public static async Task<long> UsedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.MicroUsd)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Used;

    public static async Task<long> ReservedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.MicroUsd)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Reserved;
}
