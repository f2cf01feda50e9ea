using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentFramework;

/// <summary>
/// A deterministic local model for the sample, so it runs offline: for every city the user names it asks for the
/// weather tool, then the currency tool, and answers once every city has both; each round-trip reports the usage a
/// provider would (the words it was sent as input tokens, the words it wrote as output tokens).
/// </summary>
internal sealed class TravelModel : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> sent = [.. messages];
        var reply = Next(sent);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = "gpt-4o-mini",
            Usage = new UsageDetails { InputTokenCount = Words(options?.Instructions) + sent.Sum(Words), OutputTokenCount = Words(reply) + 20 },
        });
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
        => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, "gpt-4o-mini") : null;

    public void Dispose()
    {
    }

    private static ChatMessage Next(IReadOnlyList<ChatMessage> sent)
    {
        var cities = sent.First(m => m.Role == ChatRole.User).Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var asked = sent.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
        if (asked < cities.Length * 2)
        {
            var city = cities[asked / 2];
            var tool = asked % 2 == 0 ? "get_weather" : "get_exchange_rate";
            return new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call_{asked}", tool, new Dictionary<string, object?> { ["city"] = city })]);
        }

        var facts = sent.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString());
        return new ChatMessage(ChatRole.Assistant, "Here is your trip: " + string.Join("; ", facts) + ".");
    }

    /// <summary>A message's size in words: its text, the tool calls it asks for and the tool results it carries.</summary>
    private static long Words(ChatMessage message) => message.Contents.Sum(content => content switch
    {
        TextContent text => Words(text.Text),
        FunctionCallContent call => 10 + Words(string.Join(' ', call.Arguments?.Values ?? [])),
        FunctionResultContent result => 5 + Words(result.Result?.ToString()),
        _ => 0,
    });

    private static long Words(string? text) => text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;
}
