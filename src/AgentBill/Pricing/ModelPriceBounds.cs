namespace AgentBill.Pricing;

/// <summary>
/// The least price that is at least each of two prices, rate by rate. A price file that lists one model several
/// times (the provider's own entry, a region, a gateway) prices it at this bound: never below any listing.
/// </summary>
internal static class ModelPriceBounds
{
    public static ModelPrice Max(ModelPrice a, ModelPrice b)
    {
        var flat = FlatMax(a, b);
        if (a.LongContext is null && b.LongContext is null)
        {
            return flat;
        }

        // Above the lower threshold either listing may bill its long-context rate or its base rate: bound them all.
        var threshold = Math.Min(a.LongContext?.AbovePromptTokens ?? long.MaxValue, b.LongContext?.AbovePromptTokens ?? long.MaxValue);
        var tier = FlatMax(FlatMax(a.LongContext?.Price ?? flat, b.LongContext?.Price ?? flat), flat);
        return flat with { LongContext = new LongContextPrice(threshold, tier) };
    }

    /// <summary>The rate-by-rate maximum, without a long-context tier.</summary>
    private static ModelPrice FlatMax(ModelPrice a, ModelPrice b)
        => new(
            Math.Max(a.InputPerMillion, b.InputPerMillion),
            Math.Max(a.CachedInputPerMillion, b.CachedInputPerMillion),
            Math.Max(a.OutputPerMillion, b.OutputPerMillion))
        {
            CacheWriteInputPerMillion = Math.Max(a.CacheWriteInputPerMillion, b.CacheWriteInputPerMillion),
        };
}
