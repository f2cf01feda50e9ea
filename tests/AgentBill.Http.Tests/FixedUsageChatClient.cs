using Microsoft.Extensions.AI;

namespace AgentBill.Http.Tests;

/// <summary>A model that answers "ok" with fixed token usage (gpt-4o-mini), counting its calls.</summary>
internal sealed class FixedUsageChatClient(long input, long output) : IChatClient
{
    public int Calls { get; private set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
        });
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    // Semantic Kernel reads the metadata of every chat client it is given.
    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fixed", defaultModelId: "gpt-4o-mini")
            : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
