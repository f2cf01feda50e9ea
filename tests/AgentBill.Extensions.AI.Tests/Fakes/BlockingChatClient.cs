using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>A provider that takes the request, says so, and answers only when told to (or when the call is cancelled).</summary>
internal sealed class BlockingChatClient(TaskCompletionSource sent, string? defaultModelId = "gpt-4o-mini") : IChatClient
{
    private readonly TaskCompletionSource<ChatResponse> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Answer(ChatResponse response) => _answer.TrySetResult(response);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        sent.TrySetResult();
        return await _answer.Task.WaitAsync(cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("blocking", null, defaultModelId) : null;

    public void Dispose()
    {
    }
}
