using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests;

/// <summary>
/// A local chat model that calls the tool <c>search</c> a scripted number of times in each conversation (it counts the
/// tool results it was sent), then answers; every round-trip reports 100 input and 50 output tokens. It keeps the
/// options it was sent and counts its calls.
/// </summary>
internal sealed class ToolCallingModel(int toolRounds, string tool = "search") : IChatClient
{
    public const long InputTokens = 100;
    public const long OutputTokens = 50;

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets or sets a wait each call makes before answering (to hold a call in flight).</summary>
    public Func<CancellationToken, Task>? Delay { get; set; }

    /// <summary>Gets the options of every call, in order.</summary>
    public List<ChatOptions?> Received { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var round = Begin(messages, options);
        if (Delay is { } delay)
        {
            await delay(cancellationToken);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, Contents(round)))
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var round = Begin(messages, options);
        await Task.Yield();
        if (Delay is { } delay)
        {
            await delay(cancellationToken);
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, Contents(round)) { ModelId = "gpt-4o-mini", MessageId = $"m{round}" };
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens })])
        {
            ModelId = "gpt-4o-mini",
            MessageId = $"m{round}",
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("local", null, "gpt-4o-mini") : null;

    public void Dispose()
    {
    }

    private int Begin(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        lock (Received)
        {
            Received.Add(options);
        }

        Interlocked.Increment(ref _calls);
        return messages.SelectMany(message => message.Contents).OfType<FunctionResultContent>().Count() + 1;
    }

    private List<AIContent> Contents(int round)
        => round <= toolRounds ? [new FunctionCallContent($"call_{round}", tool)] : [new TextContent("Done.")];
}
