using AgentBill.Validation;

namespace AgentBill.Pricing;

/// <summary>
/// Tokens of one model call, as a provider bills them. <see cref="InputTokens"/> includes the cached input
/// tokens and the tokens written to the cache, the way OpenAI, Anthropic (through Microsoft.Extensions.AI) and
/// Google report them.
/// </summary>
public readonly record struct TokenUsage
{
    /// <summary>Creates a usage.</summary>
    /// <param name="inputTokens">Every prompt token, cached ones included.</param>
    /// <param name="cachedInputTokens">The prompt tokens read from the provider's cache; at most <paramref name="inputTokens"/>.</param>
    /// <param name="outputTokens">Every generated token, reasoning tokens included.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or too large, or more tokens are cached than were sent.</exception>
    public TokenUsage(long inputTokens, long cachedInputTokens, long outputTokens)
        : this(inputTokens, cachedInputTokens, outputTokens, 0)
    {
    }

    /// <summary>Creates a usage with prompt tokens written to the provider's cache.</summary>
    /// <param name="inputTokens">Every prompt token, cached and cache-written ones included.</param>
    /// <param name="cachedInputTokens">The prompt tokens read from the provider's cache.</param>
    /// <param name="outputTokens">Every generated token, reasoning tokens included.</param>
    /// <param name="cacheWriteInputTokens">
    /// The prompt tokens written to the provider's cache, billed at <see cref="ModelPrice.CacheWriteInputPerMillion"/>;
    /// together with <paramref name="cachedInputTokens"/> at most <paramref name="inputTokens"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or too large, or more tokens are cached than were sent.</exception>
    public TokenUsage(long inputTokens, long cachedInputTokens, long outputTokens, long cacheWriteInputTokens)
    {
        InputTokens = Guard.Units(inputTokens, nameof(inputTokens));
        CachedInputTokens = Guard.Units(cachedInputTokens, nameof(cachedInputTokens));
        OutputTokens = Guard.Units(outputTokens, nameof(outputTokens));
        if (cachedInputTokens > inputTokens)
        {
            throw new ArgumentOutOfRangeException(nameof(cachedInputTokens), cachedInputTokens, $"'{nameof(cachedInputTokens)}' must not exceed '{nameof(inputTokens)}' ({inputTokens}).");
        }

        CacheWriteInputTokens = Guard.Units(cacheWriteInputTokens, nameof(cacheWriteInputTokens));
        if (cacheWriteInputTokens > inputTokens - cachedInputTokens)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cacheWriteInputTokens),
                cacheWriteInputTokens,
                $"'{nameof(cacheWriteInputTokens)}' must not exceed the uncached input tokens ({inputTokens - cachedInputTokens}).");
        }
    }

    /// <summary>Gets every prompt token, cached ones included.</summary>
    public long InputTokens { get; }

    /// <summary>Gets the prompt tokens read from the provider's cache.</summary>
    public long CachedInputTokens { get; }

    /// <summary>Gets the prompt tokens written to the provider's cache.</summary>
    public long CacheWriteInputTokens { get; }

    /// <summary>Gets every generated token, reasoning tokens included.</summary>
    public long OutputTokens { get; }

    /// <summary>Gets the input and output tokens together.</summary>
    public long TotalTokens => InputTokens + OutputTokens;
}
