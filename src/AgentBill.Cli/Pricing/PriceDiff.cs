using AgentBill.Pricing;

namespace AgentBill.Cli.Pricing;

/// <summary>What applying a price table would change, model by model.</summary>
/// <param name="Added">Models the new table prices and the current one does not.</param>
/// <param name="Removed">Models the current table prices and the new one does not: they become unknown (refused, never $0).</param>
/// <param name="Changed">Models priced differently.</param>
internal sealed record PriceDiff(IReadOnlyList<PriceView> Added, IReadOnlyList<PriceView> Removed, IReadOnlyList<PriceChange> Changed)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    public static PriceDiff Between(ModelPriceTable current, ModelPriceTable next)
    {
        var added = next.Prices.Where(entry => !current.Prices.ContainsKey(entry.Key)).Select(PriceView.Of);
        var removed = current.Prices.Where(entry => !next.Prices.ContainsKey(entry.Key)).Select(PriceView.Of);
        var changed = next.Prices
            .Where(entry => current.Prices.TryGetValue(entry.Key, out var before) && before != entry.Value)
            .Select(entry => new PriceChange(entry.Key, PriceView.Of(new(entry.Key, current.Prices[entry.Key])), PriceView.Of(entry)));
        return new PriceDiff(
            [.. added.OrderBy(view => view.Model, StringComparer.OrdinalIgnoreCase)],
            [.. removed.OrderBy(view => view.Model, StringComparer.OrdinalIgnoreCase)],
            [.. changed.OrderBy(change => change.Model, StringComparer.OrdinalIgnoreCase)]);
    }
}

/// <summary>One model's price before and after.</summary>
internal sealed record PriceChange(string Model, PriceView Before, PriceView After);

/// <summary>One model's rates in micro-USD per 1M tokens, as the tool prints them.</summary>
internal sealed record PriceView(string Model, long InputPerMillion, long CachedInputPerMillion, long OutputPerMillion, long CacheWriteInputPerMillion, long? LongContextAbovePromptTokens)
{
    public static PriceView Of(KeyValuePair<string, ModelPrice> entry) => new(
        entry.Key,
        entry.Value.InputPerMillion,
        entry.Value.CachedInputPerMillion,
        entry.Value.OutputPerMillion,
        entry.Value.CacheWriteInputPerMillion,
        entry.Value.LongContext?.AbovePromptTokens);

    /// <summary>Micro-USD as dollars, exactly (no floating point): 2500000 is $2.50.</summary>
    public static string Usd(long microUsd)
    {
        var text = (microUsd / 1_000_000m).ToString("0.00####", System.Globalization.CultureInfo.InvariantCulture);
        return "$" + text;
    }
}
