using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>Kernels over a local model, gated the ways a user gates them.</summary>
internal static class Kernels
{
    public static AgentBillClient Bill() => new(options: new AgentBillOptions { RecordRetryDelay = TimeSpan.Zero }, timeProvider: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));

    public static async Task<AgentBillClient> BillWithBudgetAsync(string customerId, long microUsd)
    {
        var bill = Bill();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer(customerId), UsageMeter.MicroUsd, microUsd, BudgetPeriod.Month));
        return bill;
    }

    /// <summary>The recommended setup: the kernel's chat client gated inside its tool loop, and the filters.</summary>
    public static Kernel GatedChatClient(IChatClient model, IAgentBill bill, object? plugin = null, Action<AgentBillKernelOptions>? configure = null)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(provider => new ChatClientBuilder(model).UseKernelFunctionInvocation().UseAgentBill(bill).Build(provider));
        return Finish(builder, bill, plugin, configure);
    }

    /// <summary>A kernel whose chat service is a connector of its own: the filters hold every prompt function.</summary>
    public static Kernel ChatService(Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService service, IAgentBill bill, object? plugin = null, Action<AgentBillKernelOptions>? configure = null)
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(service);
        return Finish(builder, bill, plugin, configure);
    }

    public static KernelArguments For(string customerId, PromptExecutionSettings? settings = null)
        => new(settings ?? new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(), ExtensionData = new Dictionary<string, object> { ["max_tokens"] = 200 } })
        {
            [AgentBill.Extensions.AI.AgentBillPropertyNames.CustomerId] = customerId,
        };

    private static Kernel Finish(IKernelBuilder builder, IAgentBill bill, object? plugin, Action<AgentBillKernelOptions>? configure)
    {
        if (plugin is not null)
        {
            builder.Plugins.AddFromObject(plugin);
        }

        builder.AddAgentBill(bill, configure);
        return builder.Build();
    }
}
