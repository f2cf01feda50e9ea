using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>One line registers the filters: on a kernel builder, on the services a kernel is built from, or on a built kernel.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task AddAgentBillFilters_takes_the_budget_gate_from_the_services()
    {
        await using var bill = Kernels.Bill();
        var service = new LocalChatService(new UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens });
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IAgentBill>(bill);
        builder.Services.AddSingleton<IChatCompletionService>(service);
        builder.Services.AddAgentBillFilters();

        await builder.Build().InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task UseAgentBill_gates_a_kernel_that_is_already_built()
    {
        await using var bill = Kernels.Bill();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatCompletionService>(new LocalChatService(new UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens }));
        var kernel = builder.Build().UseAgentBill(bill);

        await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(LocalModel.RoundTripMicroUsd, await bill.UsedAsync("acme"));
    }

    [Fact]
    public void Without_a_budget_gate_registered_or_given_the_kernel_says_what_is_missing()
    {
        var builder = Kernel.CreateBuilder();
        builder.AddAgentBill();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build().GetAllServices<IFunctionInvocationFilter>().ToList());

        Assert.Contains("IAgentBill", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_naming_the_option()
    {
        using var bill = Kernels.Bill();
        var kernel = Kernel.CreateBuilder().Build();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => kernel.UseAgentBill(bill, o => o.DefaultMaxOutputTokens = 0));

        Assert.Equal(nameof(AgentBillKernelOptions.DefaultMaxOutputTokens), ex.ParamName);
    }
}
