using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>
/// A chat service that runs the tool loop itself, as Semantic Kernel's connectors do: each round-trip that asks for a
/// tool adds its answer (with that round's usage in its metadata) to the history, runs the kernel's auto-function
/// filters around the tool, and the final answer reports only the last round's usage.
/// </summary>
internal sealed class ConnectorLoopService(int toolRounds, bool usageOnEveryRound = true) : IChatCompletionService
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = LocalModel.Model };

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        var tool = kernel.Plugins.GetFunction("Weather", "Today");
        for (var round = 0; round < toolRounds; round++)
        {
            Interlocked.Increment(ref _calls);
            var ask = new ChatMessageContent(AuthorRole.Assistant, [new Microsoft.SemanticKernel.FunctionCallContent("Today", "Weather", $"call-{round}")], LocalModel.Model, metadata: usageOnEveryRound ? Usage() : null);
            chatHistory.Add(ask);
            var context = new AutoFunctionInvocationContext(kernel, tool, new FunctionResult(tool), chatHistory, ask)
            {
                Arguments = new KernelArguments { ["city"] = "Paris" },
                ExecutionSettings = executionSettings,
                RequestSequenceIndex = round,
            };
            await RunFiltersAsync(kernel.AutoFunctionInvocationFilters, 0, context);
            if (context.Terminate)
            {
                return [new ChatMessageContent(AuthorRole.Tool, context.Result.ToString())];
            }

            chatHistory.Add(new ChatMessageContent(AuthorRole.Tool, [new Microsoft.SemanticKernel.FunctionResultContent("Today", "Weather", $"call-{round}", context.Result.ToString())]));
        }

        Interlocked.Increment(ref _calls);
        return [new ChatMessageContent(AuthorRole.Assistant, "It is sunny.", LocalModel.Model, metadata: Usage())];
    }

    public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("The loop is run without streaming here.");

    private static Dictionary<string, object?> Usage()
        => new() { ["Usage"] = new UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens } };

    private static async Task RunFiltersAsync(IList<IAutoFunctionInvocationFilter> filters, int index, AutoFunctionInvocationContext context)
    {
        if (index < filters.Count)
        {
            await filters[index].OnAutoFunctionInvocationAsync(context, next => RunFiltersAsync(filters, index + 1, next));
            return;
        }

        context.Result = await context.Function.InvokeAsync(context.Kernel, context.Arguments, context.CancellationToken);
    }
}
