using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class ChatGateConcurrencyTests
{
    [Fact]
    public async Task Concurrent_customers_are_charged_only_for_their_own_calls()
    {
        await using var bill = TestBills.Create();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Lifetime));
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Lifetime));
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("carol"), UsageMeter.MicroUsd, 0, BudgetPeriod.Lifetime));
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 100, outputTokens: 50);
        using var gate = Gates.Chat(inner, bill, o => o.DefaultMaxOutputTokens = 50);

        async Task<int> RunAsync(string customerId, int calls)
        {
            using var scope = AgentBillContext.Begin(customerId: customerId);
            var refused = 0;
            for (var i = 0; i < calls; i++)
            {
                await Task.Yield();
                try
                {
                    await gate.GetResponseAsync("Hello, world!");
                }
                catch (BudgetExhaustedException)
                {
                    refused++;
                }
            }

            return refused;
        }

        var refusals = await Task.WhenAll(RunAsync("alice", 20), RunAsync("bob", 10), RunAsync("carol", 5), RunAsync("alice", 20));

        // Each call: 100 × $0.15/M + 50 × $0.60/M = 45 micro-USD.
        Assert.Equal([0, 0, 5, 0], refusals);
        Assert.Equal(40 * 45, await bill.UsedAsync("alice"));
        Assert.Equal(10 * 45, await bill.UsedAsync("bob"));
        Assert.Equal(0, await bill.UsedAsync("carol"));
        Assert.Equal(50, inner.Calls);
    }
}
