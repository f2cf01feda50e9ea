using System.Text.Json;
using AgentBill.Pricing;

namespace AgentBill.Tools.UpdatePrices;

/// <summary>Generates the built-in table's source from LiteLLM's price file and the overrides file.</summary>
internal static class PriceTableGenerator
{
    /// <summary>Generates the source of <c>BuiltInModelPrices.cs</c>.</summary>
    /// <param name="liteLlmJson">LiteLLM's <c>model_prices_and_context_window.json</c>.</param>
    /// <param name="overridesJson">The prices that replace or complete the file's, in the same format.</param>
    /// <param name="date">The day the price file is as of: the table's date and version.</param>
    /// <returns>The C# source.</returns>
    /// <exception cref="PriceFileFormatException">A file is invalid, or the price file has no price for a section.</exception>
    public static string Generate(byte[] liteLlmJson, byte[] overridesJson, DateOnly date)
    {
        var sections = ProviderGroup.BuiltIn
            .Select(group => (group, BuiltInTableSelection.Select(Load(liteLlmJson, group, date), LoadOverrides(overridesJson, group, date))))
            .ToList();
        return BuiltInTableWriter.Write(date, sections);
    }

    private static IReadOnlyDictionary<string, ModelPrice> Load(byte[] json, ProviderGroup group, DateOnly date)
        => ModelPriceTable.LoadLiteLlm(
            new MemoryStream(json, writable: false),
            new LiteLlmPriceFileOptions { Version = "generator", EffectiveDate = date, Providers = group.LiteLlmProviders }).Prices;

    // The overrides file need not have models of every provider; the price file must.
    private static IReadOnlyDictionary<string, ModelPrice> LoadOverrides(byte[] json, ProviderGroup group, DateOnly date)
        => ListsProvider(json, group) ? Load(json, group, date) : new Dictionary<string, ModelPrice>();

    private static bool ListsProvider(byte[] json, ProviderGroup group)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Any(entry =>
            entry.Value.ValueKind == JsonValueKind.Object
            && entry.Value.TryGetProperty("litellm_provider", out var provider)
            && provider.ValueKind == JsonValueKind.String
            && group.LiteLlmProviders.Contains(provider.GetString(), StringComparer.OrdinalIgnoreCase));
    }
}
