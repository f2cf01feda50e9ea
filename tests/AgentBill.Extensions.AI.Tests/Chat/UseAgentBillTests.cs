using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class UseAgentBillTests
{
    [Fact]
    public async Task UseAgentBill_resolves_the_bill_from_services_when_none_is_given()
    {
        await using var services = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();
        using var client = new ChatClientBuilder(ScriptedChatClient.Replying("ok", 100, 50))
            .UseAgentBill(configure: o => o.AgentId = "support-bot")
            .Build(services);
        var admin = services.GetRequiredService<IAgentBillAdmin>();
        await admin.SetBudgetAsync(new Budget(BudgetScope.Agent("alice", "support-bot"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Lifetime));

        await client.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.NotNull(client.GetService<AgentBillChatClient>());
        Assert.Equal(45, (await admin.GetUsageAsync(BudgetScope.Agent("alice", "support-bot"), UsageMeter.MicroUsd)).Used);
    }

    [Fact]
    public async Task UseAgentBill_prefers_the_bill_it_is_given()
    {
        await using var given = await TestBills.WithBudgetAsync("alice", 10_000);
        await using var services = new ServiceCollection().AddAgentBill().Services.BuildServiceProvider();
        var resolved = services.GetRequiredService<IAgentBillAdmin>();
        await resolved.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.MicroUsd, 10_000, BudgetPeriod.Lifetime));
        using var client = new ChatClientBuilder(ScriptedChatClient.Replying("ok", 100, 50)).UseAgentBill(given).Build(services);

        await client.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Equal(45, await given.UsedAsync("alice"));
        Assert.Equal(0, (await resolved.GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.MicroUsd)).Used);
    }

    [Fact]
    public void UseAgentBill_without_a_bill_anywhere_says_how_to_register_one()
    {
        var builder = new ChatClientBuilder(ScriptedChatClient.Replying("ok", 1, 1)).UseAgentBill();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(new ServiceCollection().BuildServiceProvider()));

        Assert.Contains("AddAgentBill", ex.Message, StringComparison.Ordinal);
    }
}
