using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>A kernel with gating filters (marked [GatesModelCalls]) registered in view covers its prompt invocations, and only those.</summary>
public sealed class KernelFilterCoverageTests
{
    [Fact]
    public Task A_kernel_with_an_AgentBill_function_filter_added_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync(IAgentBill bill)
                {
                    var kernel = Kernel.CreateBuilder().Build();
                    kernel.FunctionInvocationFilters.Add(new GatingFunctionFilter(bill));
                    return kernel.InvokePromptAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_with_an_AgentBill_auto_function_filter_added_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                IAsyncEnumerable<StreamingKernelContent> Stream(Kernel kernel, IAgentBill bill)
                {
                    var local = kernel;
                    local.AutoFunctionInvocationFilters.Add(new GatingAutoFunctionFilter(bill));
                    return local.InvokePromptStreamingAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_built_from_a_builder_whose_services_register_an_AgentBill_filter_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync()
                {
                    var builder = Kernel.CreateBuilder();
                    builder.Services.AddSingleton<IFunctionInvocationFilter, GatingFunctionFilter>();
                    var kernel = builder.Build();
                    return kernel.InvokePromptAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_created_on_services_with_an_AgentBill_filter_factory_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync(IAgentBill bill)
                {
                    var services = new ServiceCollection();
                    services.AddSingleton<IFunctionInvocationFilter>(_ => new GatingFunctionFilter(bill));
                    var kernel = new Kernel(services.BuildServiceProvider());
                    return kernel.InvokePromptAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_field_given_an_AgentBill_filter_in_the_constructor_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private readonly Kernel _kernel;

                public Agent(Kernel kernel, IAgentBill bill)
                {
                    _kernel = kernel;
                    _kernel.FunctionInvocationFilters.Add(new GatingFunctionFilter(bill));
                }

                public Task<FunctionResult> AskAsync() => _kernel.InvokePromptAsync("hello");
            }
            """);

    [Fact]
    public Task A_kernel_with_a_filter_that_is_not_AgentBills_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class LoggingFilter : IFunctionInvocationFilter
            {
                public Task OnFunctionInvocationAsync(Microsoft.SemanticKernel.FunctionInvocationContext context, Func<Microsoft.SemanticKernel.FunctionInvocationContext, Task> next) => next(context);
            }

            class Agent
            {
                Task<FunctionResult> AskAsync(Kernel kernel)
                {
                    kernel.FunctionInvocationFilters.Add(new LoggingFilter());
                    return kernel.{|AGB0001:InvokePromptAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_chat_service_taken_from_a_filtered_kernel_is_still_reported_because_filters_only_see_functions()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatMessageContent> AskAsync(Kernel kernel, IAgentBill bill)
                {
                    kernel.FunctionInvocationFilters.Add(new GatingFunctionFilter(bill));
                    var chat = kernel.GetRequiredService<IChatCompletionService>();
                    return chat.{|AGB0001:GetChatMessageContentAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_built_after_an_AgentBill_kernel_builder_extension_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync(IAgentBill bill)
                {
                    var kernel = Kernel.CreateBuilder().AddGatingFilters(bill).Build();
                    return kernel.InvokePromptAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_kernel_whose_builder_services_get_AgentBills_kernel_filters_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync()
                {
                    var builder = Kernel.CreateBuilder();
                    builder.Services.AddGatingKernelFilters();
                    return builder.Build().InvokePromptAsync("hello");
                }
            }
            """);
}
