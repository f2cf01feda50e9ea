using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>
/// A local chat model: asks for the first tool it is offered until it has called it <see cref="ToolRounds"/> times, then
/// answers; every response reports <see cref="InputTokens"/> and <see cref="OutputTokens"/>. Counts its calls.
/// </summary>
internal sealed class LocalModel(int toolRounds = 0) : IChatClient
{
    public const string Model = "gpt-4o-mini";
    public const long InputTokens = 1_000;
    public const long OutputTokens = 200;

    // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output: 150 + 120 micro-USD a round-trip.
    public const long RoundTripMicroUsd = 270;

    private int _calls;

    public int ToolRounds { get; } = toolRounds;

    public int Calls => Volatile.Read(ref _calls);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var toolResults = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Count();
        ChatMessage reply = toolResults < ToolRounds && options?.Tools?.FirstOrDefault() is { } tool
            ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call-{toolResults}", tool.Name, new Dictionary<string, object?> { ["city"] = "Paris" })])
            : new ChatMessage(ChatRole.Assistant, "It is sunny.");
        return Task.FromResult(new ChatResponse(reply) { ModelId = Model, Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens } });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("local", null, Model) : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
