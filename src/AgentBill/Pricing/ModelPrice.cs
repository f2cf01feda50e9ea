using AgentBill.Validation;

namespace AgentBill.Pricing;

/// <summary>
/// What a model costs, in micro-USD (millionths of a dollar) per one million tokens, so that every price the
/// providers publish is an exact integer: $2.50 per 1M tokens is <c>2_500_000</c>, $0.075 is <c>75_000</c>.
/// </summary>
public sealed record ModelPrice
{
    /// <summary>The tokens every price is quoted for.</summary>
    public const long TokensPerQuote = 1_000_000;

    /// <summary>Creates a price.</summary>
    /// <param name="inputPerMillion">Micro-USD per 1M uncached input tokens.</param>
    /// <param name="cachedInputPerMillion">Micro-USD per 1M input tokens read from the provider's cache.</param>
    /// <param name="outputPerMillion">Micro-USD per 1M output tokens (reasoning included).</param>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative or too large.</exception>
    public ModelPrice(long inputPerMillion, long cachedInputPerMillion, long outputPerMillion)
    {
        InputPerMillion = Guard.Units(inputPerMillion, nameof(inputPerMillion));
        CachedInputPerMillion = Guard.Units(cachedInputPerMillion, nameof(cachedInputPerMillion));
        OutputPerMillion = Guard.Units(outputPerMillion, nameof(outputPerMillion));
    }

    /// <summary>Gets the micro-USD per 1M uncached input tokens.</summary>
    public long InputPerMillion { get; }

    /// <summary>Gets the micro-USD per 1M input tokens read from the provider's cache.</summary>
    public long CachedInputPerMillion { get; }

    /// <summary>Gets the micro-USD per 1M output tokens.</summary>
    public long OutputPerMillion { get; }

    /// <summary>
    /// Gets the micro-USD per 1M input tokens written to the provider's cache (Anthropic bills a write above the
    /// input price). Defaults to <see cref="InputPerMillion"/>, for providers that bill a write as plain input.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The price is negative or too large.</exception>
    public long CacheWriteInputPerMillion
    {
        get => _cacheWriteInputPerMillion ?? InputPerMillion;
        init => _cacheWriteInputPerMillion = Guard.Units(value, nameof(CacheWriteInputPerMillion));
    }

    // Unset until given, so a price without a cache-write rate follows its input rate.
    private readonly long? _cacheWriteInputPerMillion;

    /// <summary>
    /// Gets the higher price some models charge for the whole call when the prompt is long (Gemini Pro, Claude
    /// Sonnet with a 1M context), or <see langword="null"/> when the price does not depend on the prompt's length.
    /// </summary>
    public LongContextPrice? LongContext { get; init; }

    /// <summary>
    /// Prices a call in micro-USD with integer arithmetic only, rounded up once on the total, so a call is never
    /// priced below what it costs and a non-zero usage at a non-zero price never costs zero.
    /// </summary>
    /// <param name="usage">The call's tokens.</param>
    /// <returns>The cost in micro-USD.</returns>
    /// <exception cref="OverflowException">The cost does not fit in 64 bits.</exception>
    public long CostOf(TokenUsage usage)
    {
        var price = LongContext is { } tier && usage.InputTokens > tier.AbovePromptTokens ? tier.Price : this;
        var uncached = usage.InputTokens - usage.CachedInputTokens - usage.CacheWriteInputTokens;

        // Int128 keeps the products exact: tokens and prices each fit in 60 bits, their sum does not fit in 64.
        var scaled = ((Int128)uncached * price.InputPerMillion)
            + ((Int128)usage.CachedInputTokens * price.CachedInputPerMillion)
            + ((Int128)usage.CacheWriteInputTokens * price.CacheWriteInputPerMillion)
            + ((Int128)usage.OutputTokens * price.OutputPerMillion);
        return checked((long)((scaled + (TokensPerQuote - 1)) / TokensPerQuote));
    }
}
