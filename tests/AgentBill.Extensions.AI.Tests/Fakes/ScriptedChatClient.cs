using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>A local chat model: answers from a script, counts its calls and keeps what it was sent.</summary>
internal sealed class ScriptedChatClient(
    Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>? respond = null,
    Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? stream = null,
    string? defaultModelId = "gpt-4o-mini") : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<ChatOptions?> ReceivedOptions { get; } = [];

    /// <summary>Always answers <paramref name="text"/> with the given usage (none when both counts are null).</summary>
    public static ScriptedChatClient Replying(string text, long? inputTokens, long? outputTokens, string? modelId = null, string? defaultModelId = "gpt-4o-mini")
        => new((_, _) => Reply(text, inputTokens, outputTokens, modelId), defaultModelId: defaultModelId);

    /// <summary>Always answers <paramref name="text"/> with exactly the usage given, as a response and as a stream ending in it.</summary>
    public static ScriptedChatClient Answering(string text, UsageDetails? usage, string? defaultModelId = "gpt-4o-mini")
        => new(
            (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage },
            (_, _, ct) => Stream(
                usage is null
                    ? [new ChatResponseUpdate(ChatRole.Assistant, text) { FinishReason = ChatFinishReason.Stop }]
                    : [new ChatResponseUpdate(ChatRole.Assistant, text) { FinishReason = ChatFinishReason.Stop }, new ChatResponseUpdate { Contents = [new UsageContent(usage)] }],
                ct),
            defaultModelId);

    public static ChatResponse Reply(string text, long? inputTokens, long? outputTokens, string? modelId = null)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = modelId,
            Usage = inputTokens is null && outputTokens is null ? null : new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens },
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (ReceivedOptions)
        {
            ReceivedOptions.Add(options);
        }

        return Task.FromResult((respond ?? throw new InvalidOperationException("No reply scripted.")).Invoke([.. messages], options));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return (stream ?? throw new InvalidOperationException("No stream scripted.")).Invoke([.. messages], options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, defaultModelId) : null;

    public void Dispose()
    {
    }

    /// <summary>A stream that sends one update and then fails, as a dropped connection does.</summary>
    public static ScriptedChatClient FailingAfter(ChatResponseUpdate update, Exception error)
    {
        async IAsyncEnumerable<ChatResponseUpdate> FailAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return update;
            throw error;
        }

        return new ScriptedChatClient(stream: (_, _, ct) => FailAsync(ct));
    }

    /// <summary>Streams the updates as they are given.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in updates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return update;
        }
    }
}
