using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests.Runs;

public sealed class RunPartiesTests
{
    [Fact]
    public async Task The_run_usage_adds_into_the_context_the_caller_began_around_it()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill);

        using var outer = AgentBillContext.Begin(customerId: "acme");
        await agent.RunAsync("Research it.");

        Assert.Equal(3, outer.Usage.ModelCalls);
        Assert.Equal(3 * Agents.RoundTrip, outer.Usage.Tokens);
        Assert.Equal(3 * ToolCallingModel.InputTokens, outer.Usage.InputTokens);
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task Every_run_of_a_session_is_one_task_of_the_sessions_customer()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 0), bill);
        var session = (await agent.CreateSessionAsync()).SetAgentBillCustomer("acme");

        var first = AgentRunUsage.From((await agent.RunAsync("One.", session)).AdditionalProperties)!;
        var second = AgentRunUsage.From((await agent.RunAsync("Two.", session)).AdditionalProperties)!;

        Assert.Equal(session.GetAgentBillTaskRef(), first.TaskRef);
        Assert.Equal(first.TaskRef, second.TaskRef);
        Assert.Equal("acme", second.CustomerId);
        Assert.Equal(2 * Agents.RoundTrip, await bill.TaskUsedAsync("acme", first.TaskRef));
    }

    [Fact]
    public async Task Runs_without_a_session_or_selector_are_tasks_of_their_own()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 0), bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var first = AgentRunUsage.From((await agent.RunAsync("One.")).AdditionalProperties)!;
        var second = AgentRunUsage.From((await agent.RunAsync("Two.")).AdditionalProperties)!;

        Assert.NotEqual(first.TaskRef, second.TaskRef);
        Assert.Equal(Agents.RoundTrip, await bill.TaskUsedAsync("acme", first.TaskRef));
    }

    [Fact]
    public async Task The_run_options_name_the_customer_and_task_before_the_selectors()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 0), bill, o =>
        {
            o.CustomerIdSelector = (_, _, _) => "someone-else";
            o.TaskRefSelector = (_, _, _) => "selected";
        });
        var options = new AgentRunOptions
        {
            AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "acme", [AgentBillPropertyNames.TaskRef] = "report-42" },
        };

        var usage = AgentRunUsage.From((await agent.RunAsync("One.", options: options)).AdditionalProperties)!;

        Assert.Equal("acme", usage.CustomerId);
        Assert.Equal("report-42", usage.TaskRef);
        Assert.Equal(Agents.RoundTrip, await bill.TaskUsedAsync("acme", "report-42"));
        Assert.Equal(0, await bill.UsedAsync("someone-else"));
    }

    [Fact]
    public async Task Concurrent_runs_for_different_customers_each_charge_their_own()
    {
        await using var bill = Bills.Create();
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill, o => o.CustomerIdSelector = (messages, _, _) => messages.First().Text);
        string[] customers = ["acme", "globex", "initech", "umbrella"];

        await Task.WhenAll(customers.SelectMany(customer => Enumerable.Range(0, 5).Select(_ => Task.Run(() => agent.RunAsync(new ChatMessage(ChatRole.User, customer))))));

        foreach (var customer in customers)
        {
            Assert.Equal(5 * 3 * Agents.RoundTrip, await bill.UsedAsync(customer));
            Assert.Equal(0, await bill.ReservedAsync(customer));
        }
    }
}
