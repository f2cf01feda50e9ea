using System.Runtime.CompilerServices;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>A connector that answers only when told to, reporting <see cref="LocalModel"/>'s usage: a model slower than any TTL.</summary>
internal sealed class BlockingChatService : IChatCompletionService
{
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the model has been called.</summary>
    public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = LocalModel.Model };

    public void Answer() => _answer.TrySetResult();

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        Sent.TrySetResult();
        await _answer.Task.WaitAsync(cancellationToken);
        var usage = new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens };
        return [new ChatMessageContent(AuthorRole.Assistant, "It is sunny.", LocalModel.Model, metadata: new Dictionary<string, object?> { ["Usage"] = usage })];
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Sent.TrySetResult();
        await _answer.Task.WaitAsync(cancellationToken);
        var usage = new Microsoft.Extensions.AI.UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens };
        yield return new StreamingChatMessageContent(AuthorRole.Assistant, "It is sunny.", modelId: LocalModel.Model, metadata: new Dictionary<string, object?> { ["Usage"] = usage });
    }
}
