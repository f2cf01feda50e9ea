using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>
/// Turns the usage a kernel function's result carries into <see cref="UsageDetails"/>, whatever connector produced
/// it, for <see cref="Extensions.AI.ModelUsage"/> (the one place usage becomes billable tokens) to read. Semantic Kernel hands
/// usage back in several shapes: the <see cref="ChatResponse"/> of a chat-client function, a Microsoft.Extensions.AI
/// <see cref="UsageDetails"/> under <c>Metadata["Usage"]</c>, or a connector's own model (the OpenAI connector's
/// <c>ChatTokenUsage</c>, read through its JSON form, so no connector package is needed).
/// </summary>
internal static class KernelUsage
{
    private const string UsageKey = "Usage";

    /// <summary>The usage a function result carries, or <see langword="null"/> when it carries none that can be read.</summary>
    public static UsageDetails? Of(FunctionResult? result)
    {
        if (result is null)
        {
            return null;
        }

        return result.GetValue<object>() switch
        {
            ChatResponse response when response.Usage is { } usage => usage,
            ChatMessageContent message when From(message.Metadata) is { } usage => usage,
            _ => From(result.Metadata),
        };
    }

    /// <summary>The usage a streamed update of a chat client carries (its <see cref="UsageContent"/>), or <see langword="null"/>.</summary>
    public static UsageDetails? Of(ChatResponseUpdate? update)
        => update?.Contents.OfType<UsageContent>().LastOrDefault()?.Details;

    /// <summary>The usage under <c>Usage</c> in a result's or a content's metadata.</summary>
    public static UsageDetails? From(IReadOnlyDictionary<string, object?>? metadata)
        => metadata is not null && metadata.TryGetValue(UsageKey, out var usage) ? Read(usage) : null;

    /// <summary>One usage value, in any of the shapes a connector uses.</summary>
    public static UsageDetails? Read(object? usage) => usage switch
    {
        null => null,
        UsageDetails details => details,
        JsonElement json => FromJson(json),
        IPersistableModel<object> model => FromJson(JsonDocument.Parse(model.Write(ModelReaderWriterOptions.Json)).RootElement),
        _ => null,
    };

    /// <summary>
    /// The counts of a usage object written as JSON: OpenAI chat completions (<c>prompt_tokens</c>,
    /// <c>completion_tokens</c>, <c>prompt_tokens_details.cached_tokens</c>) or the Responses and Anthropic form
    /// (<c>input_tokens</c>, <c>output_tokens</c>). A count that is absent stays absent, so it is never read as zero.
    /// </summary>
    private static UsageDetails? FromJson(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var input = Count(json, "prompt_tokens") ?? Count(json, "input_tokens") ?? Count(json, "InputTokenCount");
        var output = Count(json, "completion_tokens") ?? Count(json, "output_tokens") ?? Count(json, "OutputTokenCount");
        var total = Count(json, "total_tokens") ?? Count(json, "TotalTokenCount");
        var cached = Nested(json, "prompt_tokens_details", "cached_tokens") ?? Nested(json, "input_tokens_details", "cached_tokens");
        return input is null && output is null && total is null
            ? null
            : new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total, CachedInputTokenCount = cached };
    }

    private static long? Count(JsonElement json, string name)
        => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var count) ? count : null;

    private static long? Nested(JsonElement json, string outer, string inner)
        => json.TryGetProperty(outer, out var details) && details.ValueKind == JsonValueKind.Object ? Count(details, inner) : null;
}
