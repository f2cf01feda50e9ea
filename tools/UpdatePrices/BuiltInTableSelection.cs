using System.Text.RegularExpressions;
using AgentBill.Pricing;

namespace AgentBill.Tools.UpdatePrices;

/// <summary>
/// Chooses the ids of one provider section from the prices LiteLLM's file gives: models the gates price by text
/// tokens, each dated snapshot kept only where its price differs from the model it would otherwise match.
/// </summary>
internal static partial class BuiltInTableSelection
{
    // Models whose main cost is not text tokens (audio, realtime, per-query search, speech, images, music),
    // fine-tuned models (a fine-tune's id carries the organisation and never matches a listed id), and robotics
    // previews. Left out, they stay unknown and are refused rather than priced as text.
    private static readonly string[] Excluded = ["audio", "realtime", "search", "tts", "transcribe", "live", "lyria", "image", "robotics", "container"];

    /// <summary>Selects a section's prices: the file's, replaced or completed by the overrides, minus the redundant snapshots.</summary>
    /// <param name="current">The section's prices from the LiteLLM file.</param>
    /// <param name="overrides">
    /// The section's prices from the overrides file: models the LiteLLM file no longer lists (retired, but still
    /// called by old deployments) or lists wrongly. They win over the file's.
    /// </param>
    /// <returns>The ids to list, each with its price and whether it came from the overrides file.</returns>
    public static IReadOnlyList<SelectedPrice> Select(IReadOnlyDictionary<string, ModelPrice> current, IReadOnlyDictionary<string, ModelPrice> overrides)
    {
        var prices = new Dictionary<string, SelectedPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, price) in current)
        {
            if (IsTextTokenModel(id, price))
            {
                prices[id] = new SelectedPrice(id, price, IsOverride: false);
            }
        }

        AddFamilies(prices);
        foreach (var (id, price) in overrides)
        {
            prices[id] = new SelectedPrice(id, price, IsOverride: true);
        }

        RemoveRedundantSnapshots(prices);
        return [.. prices.Values.OrderBy(static p => p.Id, StringComparer.Ordinal)];
    }

    /// <summary>A model priced by text tokens, with a price: nothing is free, so a zero input price means unpriced.</summary>
    private static bool IsTextTokenModel(string id, ModelPrice price)
        => !id.StartsWith("ft:", StringComparison.OrdinalIgnoreCase)
            && !Excluded.Any(word => id.Contains(word, StringComparison.OrdinalIgnoreCase))
            && price.InputPerMillion > 0;

    /// <summary>
    /// Lists a dated snapshot's model under its undated name when the file has only snapshots of it, all at one
    /// price (<c>claude-3-haiku-20240307</c> is also <c>claude-3-haiku</c>), so the model's aliases, Bedrock and
    /// Vertex ids match it. Snapshots at different prices leave the undated name unknown. Only a date makes a
    /// snapshot here: <c>-preview</c> is a model of its own until it ships.
    /// </summary>
    private static void AddFamilies(Dictionary<string, SelectedPrice> prices)
    {
        var families = new Dictionary<string, ModelPrice?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, selected) in prices)
        {
            if (DatedSnapshot().Match(id) is { Success: true } match && !prices.ContainsKey(match.Groups["family"].Value))
            {
                var family = match.Groups["family"].Value;
                families[family] = !families.TryGetValue(family, out var other) || other == selected.Price ? selected.Price : null;
            }
        }

        foreach (var (family, price) in families)
        {
            if (price is not null)
            {
                prices[family] = new SelectedPrice(family, price, IsOverride: false);
            }
        }
    }

    /// <summary>Drops every id that the remaining ids already price the same, longest first, so each kept snapshot differs from its model.</summary>
    private static void RemoveRedundantSnapshots(Dictionary<string, SelectedPrice> prices)
    {
        foreach (var id in prices.Keys.OrderByDescending(static id => id.Length).ThenBy(static id => id, StringComparer.Ordinal).ToList())
        {
            var others = prices.Where(p => !p.Key.Equals(id, StringComparison.OrdinalIgnoreCase)).Select(static p => KeyValuePair.Create(p.Key, p.Value.Price));
            var table = new ModelPriceTable("selection", DateOnly.MinValue, others);
            if (table.TryGetPrice(id, out var matched, out _) && matched == prices[id].Price)
            {
                prices.Remove(id);
            }
        }
    }

    [GeneratedRegex(@"^(?<family>.+)-(?:\d{8}|\d{4}-\d{2}-\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DatedSnapshot();
}
