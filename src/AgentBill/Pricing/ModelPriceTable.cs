using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace AgentBill.Pricing;

/// <summary>
/// A dated, versioned set of model prices. <see cref="BuiltIn"/> holds the providers' published list prices of
/// common OpenAI, Anthropic and Google models as of its <see cref="EffectiveDate"/>; prices change, so a
/// deployment overrides what differs with <see cref="ModelPricing.CustomPrices"/> or brings its own table.
/// </summary>
public sealed class ModelPriceTable
{
    /// <summary>Creates a table.</summary>
    /// <param name="version">The table's version, reported with every price it gives.</param>
    /// <param name="effectiveDate">The day its prices were checked against the providers' price lists.</param>
    /// <param name="prices">The prices by model id; ids are matched ignoring case.</param>
    /// <exception cref="ArgumentException"><paramref name="version"/> is empty, or <paramref name="prices"/> has an empty id or a null price.</exception>
    public ModelPriceTable(string version, DateOnly effectiveDate, IEnumerable<KeyValuePair<string, ModelPrice>> prices)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(prices);
        var byModel = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in prices)
        {
            if (string.IsNullOrWhiteSpace(model) || price is null)
            {
                throw new ArgumentException("Every price needs a model id and a price.", nameof(prices));
            }

            byModel[model] = price;
        }

        Version = version;
        EffectiveDate = effectiveDate;
        Prices = byModel.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _listedIds = byModel.Keys.ToFrozenDictionary(static id => id, static id => id, StringComparer.OrdinalIgnoreCase);
    }

    // Every call of a gated model is priced: most name a listed model exactly, which one lookup finds, and only
    // a snapshot or routed name needs the scan over every listed id.
    private readonly FrozenDictionary<string, string> _listedIds;

    /// <summary>Gets the table that ships with AgentBill.</summary>
    public static ModelPriceTable BuiltIn => BuiltInModelPrices.Table;

    /// <summary>
    /// Loads a table from LiteLLM's community price file, <c>model_prices_and_context_window.json</c> in
    /// BerriAI/litellm, converting its USD-per-token prices exactly to micro-USD per 1M tokens (a price finer
    /// than that is rounded up). The whole file is validated before anything is returned.
    /// </summary>
    /// <param name="utf8Json">The file's UTF-8 JSON; read to its end, not disposed.</param>
    /// <param name="options">The table's version and date, and the providers and modes to keep.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> has an empty version or no providers or modes collection.</exception>
    /// <exception cref="PriceFileFormatException">
    /// The file is not JSON, an entry's price is not a non-negative number in range, or no entry has a per-token price.
    /// </exception>
    public static ModelPriceTable LoadLiteLlm(Stream utf8Json, LiteLlmPriceFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ValidateOptions(options);
        return LiteLlmPriceFile.Load(utf8Json, options);
    }

    /// <summary>Loads a table from LiteLLM's community price file at a path; see <see cref="LoadLiteLlm(Stream, LiteLlmPriceFileOptions)"/>.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="options">The table's version and date, and the providers and modes to keep.</param>
    /// <returns>The table.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or <paramref name="options"/> is incomplete.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="PriceFileFormatException">The file is not a valid price file.</exception>
    public static ModelPriceTable LoadLiteLlm(string path, LiteLlmPriceFileOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ValidateOptions(options);
        using var file = File.OpenRead(path);
        return LiteLlmPriceFile.Load(file, options);
    }

    /// <summary>Gets the table's version.</summary>
    public string Version { get; }

    /// <summary>Gets the day its prices were checked.</summary>
    public DateOnly EffectiveDate { get; }

    /// <summary>Gets the prices by model id.</summary>
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; }

    private static void ValidateOptions(LiteLlmPriceFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Version))
        {
            throw new ArgumentException($"'{nameof(options)}.{nameof(LiteLlmPriceFileOptions.Version)}' must not be empty.", nameof(options));
        }

        if (options.Providers is null || options.Modes is null || options.Modes.Count == 0)
        {
            throw new ArgumentException(
                $"'{nameof(options)}.{nameof(LiteLlmPriceFileOptions.Providers)}' must not be null and '{nameof(options)}.{nameof(LiteLlmPriceFileOptions.Modes)}' must name a mode.",
                nameof(options));
        }
    }

    /// <summary>
    /// Finds a model's price: by its exact id, else by the priced model it is a dated snapshot of
    /// (<c>gpt-4o-2024-08-06</c> is <c>gpt-4o</c>), ignoring a routing prefix such as <c>openai/</c>.
    /// </summary>
    /// <param name="modelId">The model id a provider uses or reports.</param>
    /// <param name="price">The price, when found.</param>
    /// <param name="pricedModel">The id the price is listed under, when found.</param>
    /// <returns>Whether the model is priced.</returns>
    public bool TryGetPrice(string modelId, [NotNullWhen(true)] out ModelPrice? price, [NotNullWhen(true)] out string? pricedModel)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        if (_listedIds.TryGetValue(ModelIds.Normalize(modelId), out pricedModel) || ModelIds.TryMatch(Prices, modelId, out pricedModel))
        {
            price = Prices[pricedModel];
            return true;
        }

        price = null;
        return false;
    }
}
