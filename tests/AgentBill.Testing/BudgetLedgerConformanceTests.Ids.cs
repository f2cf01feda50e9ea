using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    /// <summary>Ids a store must keep apart: separators, hash-tag braces, glob characters, spaces, unicode, the longest allowed.</summary>
    public static TheoryData<string, string> LookalikeIds => new()
    {
        { "a:b", "a" },
        { "{a}", "a" },
        { "a}b{", "a" },
        { "*", "a*" },
        { "a b", "a_b" },
        { "café", "cafe" },
        { "客户", "客" },
        { new string('x', 128), new string('x', 127) },
        { "a%3Ab", "a:b" },
    };

    [Theory]
    [MemberData(nameof(LookalikeIds))]
    public async Task Customers_whose_ids_look_alike_never_share_usage(string first, string second)
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer(first), UsageMeter.Units, 10, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer(second), UsageMeter.Units, 10, BudgetPeriod.Month));

        await client.RecordAsync("researcher", 10, first);
        var secondCustomer = await client.PreflightAsync("researcher", 10, second);

        Assert.True(secondCustomer.Approved);
        Assert.Equal(10, (await client.GetUsageAsync(BudgetScope.Customer(first))).Used);
        Assert.Equal(10, (await client.GetUsageAsync(BudgetScope.Customer(second))).Reserved);
    }

    [Fact]
    public async Task An_agent_id_and_a_customer_id_can_never_combine_into_another_pair()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Agent("a:b", "c"), UsageMeter.Units, 5, BudgetPeriod.Month));

        var lookalike = await client.PreflightAsync("b:c", 50, "a");
        var limited = await client.PreflightAsync("c", 50, "a:b");

        Assert.True(lookalike.Approved);
        Assert.False(limited.Approved);
    }

    [Fact]
    public async Task A_task_and_an_agent_with_the_same_name_are_different_scopes()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Task("acme", "same"), UsageMeter.Units, 5, BudgetPeriod.Month));

        var agentNamedLikeTheTask = await client.PreflightAsync("same", 50, "acme");

        Assert.True(agentNamedLikeTheTask.Approved);
    }
}
