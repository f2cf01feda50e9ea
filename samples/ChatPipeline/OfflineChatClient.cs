using System.Runtime.CompilerServices;
using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;

namespace ChatPipeline;

/// <summary>
/// A deterministic chat model that runs without a network, so the sample shows the whole gate offline. It
/// behaves like a provider where it matters to billing: it reports usage (prompt tokens counted with the
/// model's tokenizer, output tokens of what it wrote), streams word by word with the usage in a last update, and
/// asks for tools: once for the weather, and forever for "research", like a runaway agent loop.
/// </summary>
internal sealed class OfflineChatClient(string modelId) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> prompt = [.. messages];
        var reply = Reply(prompt, options);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = modelId,
            FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = UsageOf(prompt, options, reply),
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> prompt = [.. messages];
        var reply = Reply(prompt, options);
        var messageId = $"msg_{prompt.Count}";
        foreach (var content in reply.Contents)
        {
            if (content is TextContent text)
            {
                foreach (var word in text.Text.Split(' '))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, word + " ") { MessageId = messageId, ModelId = modelId };
                }
            }
            else
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, [content]) { MessageId = messageId, ModelId = modelId };
            }
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(UsageOf(prompt, options, reply))]) { MessageId = messageId, ModelId = modelId };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, modelId)
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
    }

    private static ChatMessage Reply(IReadOnlyList<ChatMessage> prompt, ChatOptions? options)
    {
        var last = prompt[^1];
        if (last.Contents.OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            var call = prompt.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Last(c => c.CallId == result.CallId);
            return call.Name == "search"
                ? AskFor("search", $"call_{prompt.Count}", ("query", $"agent budgets, page {prompt.Count}"))
                : new ChatMessage(ChatRole.Assistant, $"The weather in Paris: {result.Result}.");
        }

        var question = last.Text;
        if (HasTool(options, "get_weather") && question.Contains("weather", StringComparison.OrdinalIgnoreCase))
        {
            return AskFor("get_weather", "call_weather", ("city", "Paris"));
        }

        if (HasTool(options, "search") && question.Contains("research", StringComparison.OrdinalIgnoreCase))
        {
            return AskFor("search", "call_0", ("query", "agent budgets"));
        }

        return new ChatMessage(ChatRole.Assistant, $"(offline {question.Length}-character answer) Budgets stop agents before they spend money their customer does not have.");
    }

    private static ChatMessage AskFor(string tool, string callId, (string Name, string Value) argument)
        => new(ChatRole.Assistant, [new FunctionCallContent(callId, tool, new Dictionary<string, object?> { [argument.Name] = argument.Value })]);

    private static bool HasTool(ChatOptions? options, string name) => options?.Tools?.Any(t => t.Name == name) == true;

    /// <summary>What a provider would bill: the prompt as its tokenizer counts it, and the tokens it wrote.</summary>
    private UsageDetails UsageOf(IReadOnlyList<ChatMessage> prompt, ChatOptions? options, ChatMessage reply)
    {
        var input = TokenizerTokenEstimator.Shared.EstimatePromptTokens(prompt, options, modelId);
        var output = TokenizerTokenEstimator.Shared.EstimatePromptTokens([reply], null, modelId)
            - TokenizerTokenEstimator.TokensPerMessage - TokenizerTokenEstimator.TokensPerReply;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
