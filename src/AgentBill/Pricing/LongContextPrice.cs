using AgentBill.Validation;

namespace AgentBill.Pricing;

/// <summary>The price of a whole call whose prompt is longer than a threshold, for models billed by prompt length.</summary>
public sealed record LongContextPrice
{
    /// <summary>Creates a long-context tier.</summary>
    /// <param name="abovePromptTokens">The prompt length (input tokens, cached included) above which <paramref name="price"/> applies.</param>
    /// <param name="price">The price of every token of such a call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="abovePromptTokens"/> is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="price"/> is <see langword="null"/>.</exception>
    public LongContextPrice(long abovePromptTokens, ModelPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        AbovePromptTokens = Guard.Units(abovePromptTokens, nameof(abovePromptTokens));
        Price = price;
    }

    /// <summary>Gets the prompt length above which <see cref="Price"/> applies.</summary>
    public long AbovePromptTokens { get; }

    /// <summary>Gets the price of every token of a long-context call.</summary>
    public ModelPrice Price { get; }
}
