using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>
/// A connector that streams its usage the way Anthropic's streaming API does: the input tokens in the first update
/// (<c>message_start</c>), the output tokens in the last (<c>message_delta</c>), each update naming only its own count.
/// </summary>
internal sealed class SplitUsageChatService : IChatCompletionService
{
    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = LocalModel.Model };

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("This connector only streams.");

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "It is ", modelId: LocalModel.Model, metadata: Usage(new UsageDetails { InputTokenCount = LocalModel.InputTokens }));
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "sunny.", modelId: LocalModel.Model);
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, string.Empty, modelId: LocalModel.Model, metadata: Usage(new UsageDetails { OutputTokenCount = LocalModel.OutputTokens }));
    }

    private static Dictionary<string, object?> Usage(UsageDetails usage) => new() { ["Usage"] = usage };
}
