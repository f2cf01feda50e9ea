using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>
/// A kernel chat completion service of its own (as a connector is), not a chat client: it answers and reports usage
/// in its metadata under <c>Usage</c>, in whatever shape <paramref name="usage"/> gives.
/// </summary>
internal sealed class LocalChatService(object? usage) : IChatCompletionService
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = LocalModel.Model };

    public Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        IReadOnlyList<ChatMessageContent> answer = [new ChatMessageContent(AuthorRole.Assistant, "It is sunny.", LocalModel.Model, metadata: Metadata())];
        return Task.FromResult(answer);
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        await Task.Yield();
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "It is ", modelId: LocalModel.Model);
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "sunny.", modelId: LocalModel.Model, metadata: Metadata());
    }

    private Dictionary<string, object?>? Metadata() => usage is null ? null : new() { ["Usage"] = usage };
}
