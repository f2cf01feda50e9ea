using AgentBill.Agents.AI;
using AgentBill.Extensions.AI;
using AgentBill.SemanticKernel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentBill.Http.Tests;

/// <summary>The Agent Framework and Semantic Kernel integrations, unchanged, over a ledger on the server.</summary>
public sealed class FrameworksOverServerTests
{
    // gpt-4o-mini: 100 input tokens ($0.15/M) and 50 output tokens ($0.60/M) = 15 + 30 micro-USD.
    private const long CallCost = 45;

    [Fact]
    public async Task An_agent_run_is_charged_to_its_customer_on_the_server_and_leaves_no_hold()
    {
        await using var remote = await RemoteBill.StartAsync();
        var alice = BudgetScope.Customer("alice");
        await remote.Admin.SetBudgetAsync(new Budget(alice, UsageMeter.Tokens, 10_000, BudgetPeriod.Month));
        var agent = new FixedUsageChatClient(100, 50)
            .AsAIAgent(name: "researcher")
            .AsBuilder()
            .UseAgentBill(remote.Bill, o =>
            {
                o.CustomerIdSelector = (_, _, _) => "alice";
                o.Gate.Meter = UsageMeter.Tokens;
            })
            .Build();

        await agent.RunAsync("Research it.");

        // Metered in tokens (the agent's chat client names no model to price): the 150 the model reported.
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Equal(150, (await onServer.GetUsageAsync(alice, UsageMeter.Tokens)).Used);
        Assert.Empty(await onServer.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_kernel_prompt_function_is_charged_once_to_the_customer_its_arguments_name_on_the_server()
    {
        await using var remote = await RemoteBill.StartAsync();
        var acme = BudgetScope.Customer("acme");
        await remote.Admin.SetBudgetAsync(new Budget(acme, UsageMeter.MicroUsd, 10_000, BudgetPeriod.Month));
        var model = new FixedUsageChatClient(100, 50);
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(provider => new ChatClientBuilder(model).UseKernelFunctionInvocation().UseAgentBill(remote.Bill).Build(provider));
        builder.AddAgentBill(remote.Bill);
        var kernel = builder.Build();

        await kernel.InvokePromptAsync("Hi", new KernelArguments(new PromptExecutionSettings { ModelId = "gpt-4o-mini" })
        {
            [AgentBillPropertyNames.CustomerId] = "acme",
        });

        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Equal(1, model.Calls);
        Assert.Equal(CallCost, (await onServer.GetUsageAsync(acme, UsageMeter.MicroUsd)).Used);
        Assert.Empty(await onServer.GetOpenHoldsAsync("acme"));
    }
}
