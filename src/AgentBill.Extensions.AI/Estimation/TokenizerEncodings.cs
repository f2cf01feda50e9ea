using Microsoft.ML.Tokenizers;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The tiktoken encodings, each loaded once on first use and shared by every estimator: building one reads a
/// vocabulary of 100k-200k entries, far too slow for every call.
/// </summary>
internal static class TokenizerEncodings
{
    private static readonly Lazy<Tokenizer> O200kBase = new(static () => TiktokenTokenizer.CreateForEncoding("o200k_base"), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<Tokenizer> Cl100kBase = new(static () => TiktokenTokenizer.CreateForEncoding("cl100k_base"), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Chooses the encoding of a model's family.</summary>
    /// <param name="modelId">The model, or <see langword="null"/>.</param>
    /// <param name="isExact">Whether the encoding is the model's own (an OpenAI model) rather than a stand-in.</param>
    public static Tokenizer For(string? modelId, out bool isExact)
    {
        var id = modelId is null ? string.Empty : modelId[(modelId.LastIndexOf('/') + 1)..];
        if (UsesCl100k(id))
        {
            isExact = true;
            return Cl100kBase.Value;
        }

        // GPT-4o and later, the o-series and GPT-5 use o200k; every other family (Claude, Gemini, Llama, ...) has a
        // tokenizer of its own that is not public, so o200k stands in and the estimator adds a margin.
        isExact = IsOpenAI(id);
        return O200kBase.Value;
    }

    private static bool UsesCl100k(string id)
        => id.StartsWith("gpt-3.5", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("text-embedding-3", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("text-embedding-ada", StringComparison.OrdinalIgnoreCase)
            || id.Equals("gpt-4", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("gpt-4-", StringComparison.OrdinalIgnoreCase);

    private static bool IsOpenAI(string id)
        => id.StartsWith("gpt-", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("chatgpt-", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("o1", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("o3", StringComparison.OrdinalIgnoreCase)
            || id.StartsWith("o4", StringComparison.OrdinalIgnoreCase);
}
