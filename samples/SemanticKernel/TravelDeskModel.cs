using System.Runtime.CompilerServices;
using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;

namespace SemanticKernelSample;

/// <summary>
/// A scripted local chat model, so the sample runs offline. Asked to plan a trip, it searches the flights of the
/// route once, then asks for the weather of each city in turn, and answers with what the tools found. Each
/// round-trip reports the usage a provider would bill: the whole prompt (messages and the tool definitions the
/// kernel sends) counted with the model's tokenizer, and the tokens of what it wrote.
/// </summary>
internal sealed class TravelDeskModel : IChatClient
{
    private const string Model = "gpt-4o-mini";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> prompt = [.. messages];
        var reply = Reply(prompt, options);
        var input = TokenizerTokenEstimator.Shared.EstimatePromptTokens(prompt, options, Model);
        var output = TokenizerTokenEstimator.Shared.EstimateOutputTokens([reply], Model);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = Model,
            FinishReason = reply.Contents.Any(c => c is FunctionCallContent) ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A short reply streams as one update, and the usage comes last, as providers send it.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Messages[0].Contents) { ModelId = Model, FinishReason = response.FinishReason };
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(response.Usage!)]) { ModelId = Model };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, Model) : null;

    public void Dispose()
    {
    }

    private static ChatMessage Reply(IReadOnlyList<ChatMessage> prompt, ChatOptions? options)
    {
        // "Plan a trip to Paris, Tokyo." names the route.
        var request = prompt.Last(m => m.Role == ChatRole.User).Text;
        var route = request[(request.IndexOf(" to ", StringComparison.Ordinal) + 4)..].TrimEnd('.');
        var cities = route.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var found = prompt.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result?.ToString()).ToList();

        // The plan: the flights first, then one city's weather a round-trip.
        if (found.Count == 0)
        {
            return Call(options, "search_flights", "route", string.Join(", ", cities), found.Count);
        }

        return found.Count <= cities.Length
            ? Call(options, "get_weather", "city", cities[found.Count - 1], found.Count)
            : new ChatMessage(ChatRole.Assistant, $"Your trip: {string.Join("; ", found)}. Pack light.");
    }

    /// <summary>Asks for a tool under the name the kernel advertised it by (the plugin's name, a separator and the function's).</summary>
    private static ChatMessage Call(ChatOptions? options, string function, string parameter, string value, int index)
    {
        var tool = options?.Tools?.FirstOrDefault(t => t.Name.EndsWith(function, StringComparison.Ordinal))?.Name ?? function;
        return new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call_{index}", tool, new Dictionary<string, object?> { [parameter] = value })]);
    }
}
