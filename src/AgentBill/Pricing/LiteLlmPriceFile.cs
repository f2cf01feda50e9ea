using System.Text.Json;

namespace AgentBill.Pricing;

/// <summary>
/// Reads LiteLLM's community price file (<c>model_prices_and_context_window.json</c> in BerriAI/litellm): one object
/// per model with per-token prices in USD. It keeps the standard (pay-as-you-go) rates and ignores the rest.
/// </summary>
/// <remarks>
/// Read: <c>input_cost_per_token</c>, <c>output_cost_per_token</c> (0 when an embedding model has none),
/// <c>cache_read_input_token_cost</c> and <c>cache_creation_input_token_cost</c> (each the input rate when absent),
/// and their <c>_above_{N}k_tokens</c> variants as the long-context tier (a rate the tier lacks is the base rate,
/// or the tier's input rate when the entry has no such rate at all; several thresholds make one tier at the
/// lowest, at the highest of their rates). Ignored: batch, flex and
/// priority rates, one-hour cache writes, audio, image, per-second and per-query prices, and every other field.
/// An entry without a per-token input price (and, except an embedding model, output price) is not loaded, so that
/// model stays unknown. Ids are stored without their routing prefix (<c>gemini/gemini-2.5-pro</c> is
/// <c>gemini-2.5-pro</c>), and a model listed more than once is priced at the highest of its listings.
/// </remarks>
internal static class LiteLlmPriceFile
{
    private const string SampleSpec = "sample_spec";
    private const string InputField = "input_cost_per_token";
    private const string OutputField = "output_cost_per_token";
    private const string CachedField = "cache_read_input_token_cost";
    private const string CacheWriteField = "cache_creation_input_token_cost";
    private const string TierMarker = "_above_";
    private const string TierSuffix = "k_tokens";

    public static ModelPriceTable Load(Stream utf8Json, LiteLlmPriceFileOptions options)
    {
        var providers = new HashSet<string>(options.Providers, StringComparer.OrdinalIgnoreCase);
        var modes = new HashSet<string>(options.Modes, StringComparer.OrdinalIgnoreCase);
        using var document = Parse(utf8Json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new PriceFileFormatException($"The price file must be a JSON object of model entries, not {document.RootElement.ValueKind}.");
        }

        var prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            // Values that are not objects are metadata (a mirror's "last_updated"); sample_spec documents the fields.
            if (entry.Value.ValueKind != JsonValueKind.Object || entry.NameEquals(SampleSpec))
            {
                continue;
            }

            var id = ModelIds.Normalize(entry.Name);
            if (id.Length > 0 && Selected(entry, providers, modes, out var isEmbedding) && TryReadPrice(entry, isEmbedding, out var price))
            {
                prices[id] = prices.TryGetValue(id, out var listed) ? ModelPriceBounds.Max(listed, price) : price;
            }
        }

        if (prices.Count == 0)
        {
            throw new PriceFileFormatException("The price file has no per-token price for the providers and modes asked for.");
        }

        return new ModelPriceTable(options.Version, options.EffectiveDate, prices);
    }

    private static JsonDocument Parse(Stream utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw new PriceFileFormatException($"The price file is not valid JSON: {ex.Message}", innerException: ex);
        }
    }

    private static bool Selected(JsonProperty entry, HashSet<string> providers, HashSet<string> modes, out bool isEmbedding)
    {
        var provider = ReadString(entry, "litellm_provider");
        var mode = ReadString(entry, "mode") ?? "chat";
        isEmbedding = mode.Equals("embedding", StringComparison.OrdinalIgnoreCase);
        return (providers.Count == 0 || (provider is not null && providers.Contains(provider))) && modes.Contains(mode);
    }

    private static bool TryReadPrice(JsonProperty entry, bool isEmbedding, out ModelPrice price)
    {
        price = null!;
        var input = ReadRate(entry, InputField);
        var output = ReadRate(entry, OutputField) ?? (isEmbedding ? 0 : null);
        if (input is not { } inputRate || output is not { } outputRate)
        {
            return false;
        }

        var cached = ReadRate(entry, CachedField);
        var cacheWrite = ReadRate(entry, CacheWriteField);
        price = new ModelPrice(inputRate, cached ?? inputRate, outputRate) { CacheWriteInputPerMillion = cacheWrite ?? inputRate };
        if (ReadTier(entry) is { } tier)
        {
            // A rate the tier lacks is the base rate; a rate the entry lacks altogether follows the tier's input rate.
            var tierInput = tier.Input ?? inputRate;
            var tierPrice = new ModelPrice(tierInput, tier.Cached ?? cached ?? tierInput, tier.Output ?? outputRate)
            {
                CacheWriteInputPerMillion = tier.CacheWrite ?? cacheWrite ?? tierInput,
            };
            price = price with { LongContext = new LongContextPrice(tier.AbovePromptTokens, tierPrice) };
        }

        return true;
    }

    /// <summary>The long-context rates (<c>input_cost_per_token_above_200k_tokens</c>, ...), or <see langword="null"/> when there are none.</summary>
    private static Tier? ReadTier(JsonProperty entry)
    {
        Tier? tier = null;
        foreach (var field in entry.Value.EnumerateObject())
        {
            var name = field.Name;
            var marker = name.IndexOf(TierMarker, StringComparison.Ordinal);
            if (marker < 0 || !name.EndsWith(TierSuffix, StringComparison.Ordinal)
                || !long.TryParse(name.AsSpan(marker + TierMarker.Length, name.Length - marker - TierMarker.Length - TierSuffix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var thousands)
                || thousands > Validation.Guard.MaxUnits / 1_000)
            {
                continue;
            }

            var kind = name[..marker];
            if (kind is not (InputField or OutputField or CachedField or CacheWriteField) || ReadRate(entry, name) is not { } rate)
            {
                continue;
            }

            var next = kind switch
            {
                InputField => new Tier(thousands * 1_000, rate, null, null, null),
                OutputField => new Tier(thousands * 1_000, null, rate, null, null),
                CachedField => new Tier(thousands * 1_000, null, null, rate, null),
                _ => new Tier(thousands * 1_000, null, null, null, rate),
            };
            tier = tier is null ? next : tier.Merge(next);
        }

        return tier;
    }

    private static string? ReadString(JsonProperty entry, string field)
    {
        if (!entry.Value.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new PriceFileFormatException($"Entry '{entry.Name}': '{field}' must be a string, not {value.ValueKind}.", entry.Name, field);
    }

    /// <summary>A rate in micro-USD per 1M tokens, or <see langword="null"/> when the entry has none.</summary>
    private static long? ReadRate(JsonProperty entry, string field)
    {
        if (!entry.Value.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new PriceFileFormatException($"Entry '{entry.Name}': '{field}' must be a number of USD per token, not {value.ValueKind}.", entry.Name, field);
        }

        if (!value.TryGetDecimal(out var usdPerToken) || !PerTokenPrice.TryToMicroUsdPerMillion(usdPerToken, out var rate))
        {
            throw new PriceFileFormatException(
                $"Entry '{entry.Name}': '{field}' is {value.GetRawText()} USD per token; a price must be at least 0 and at most {Validation.Guard.MaxUnits / 1_000_000_000_000m} USD per token.",
                entry.Name,
                field);
        }

        // A positive price below decimal's smallest value still costs something: never round it to free.
        return rate == 0 && HasNonZeroDigit(value.GetRawText()) ? 1 : rate;
    }

    private static bool HasNonZeroDigit(string number)
    {
        foreach (var c in number)
        {
            if (c is 'e' or 'E')
            {
                return false;
            }

            if (c is >= '1' and <= '9')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The long-context tier as read: the lowest threshold, and the highest rate of each kind.</summary>
    private sealed record Tier(long AbovePromptTokens, long? Input, long? Output, long? Cached, long? CacheWrite)
    {
        public Tier Merge(Tier other) => new(
            Math.Min(AbovePromptTokens, other.AbovePromptTokens),
            Max(Input, other.Input),
            Max(Output, other.Output),
            Max(Cached, other.Cached),
            Max(CacheWrite, other.CacheWrite));

        private static long? Max(long? a, long? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
    }
}
