using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Agents.AI.Tests;

/// <summary>Real AgentBill clients over the in-memory store, on a fake clock, and what they hold and charged.</summary>
internal static class Bills
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static AgentBillClient Create()
        => new(options: new AgentBillOptions { RecordRetryDelay = TimeSpan.Zero }, timeProvider: new FakeTimeProvider(Start));

    public static async Task<AgentBillClient> WithBudgetAsync(string customerId, long limit, UsageMeter meter = UsageMeter.Tokens)
    {
        var client = Create();
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer(customerId), meter, limit, BudgetPeriod.Lifetime));
        return client;
    }

    public static async Task<long> UsedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.Tokens)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Used;

    public static async Task<long> ReservedAsync(this AgentBillClient client, string customerId, UsageMeter meter = UsageMeter.Tokens)
        => (await client.GetUsageAsync(BudgetScope.Customer(customerId), meter)).Reserved;

    public static async Task<long> TaskUsedAsync(this AgentBillClient client, string customerId, string taskRef, UsageMeter meter = UsageMeter.Tokens)
        => (await client.GetUsageAsync(BudgetScope.Task(customerId, taskRef), meter)).Used;
}
