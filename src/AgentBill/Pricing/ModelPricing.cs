namespace AgentBill.Pricing;

/// <summary>
/// Prices model calls: custom prices first, then the dated table, then an optional fallback. A model with no
/// price and no fallback is never priced at $0: <see cref="Find"/> answers <see langword="null"/> and the
/// gate refuses the call with <see cref="RefusalReason.UnknownModel"/>.
/// </summary>
public sealed class ModelPricing
{
    /// <summary>Gets or sets the table of list prices. Defaults to <see cref="ModelPriceTable.BuiltIn"/>.</summary>
    public ModelPriceTable Table
    {
        get;
        set => field = value ?? throw new ArgumentNullException(nameof(value));
    } = ModelPriceTable.BuiltIn;

    /// <summary>
    /// Gets prices that override the table, by model id (matched ignoring case, dated snapshots included):
    /// negotiated rates, self-hosted models, models newer than the table.
    /// </summary>
    public IDictionary<string, ModelPrice> CustomPrices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the price charged for a model with no price of its own, or <see langword="null"/> (the
    /// default) to refuse such calls. Choose it high: it stands for models nobody priced.
    /// </summary>
    public ModelPrice? FallbackPrice { get; set; }

    /// <summary>Finds the price of a model.</summary>
    /// <param name="modelId">The model id, or <see langword="null"/> when the call names none.</param>
    /// <returns>The price, or <see langword="null"/> when the model is unknown and no fallback is set.</returns>
    public ModelPriceMatch? Find(string? modelId)
    {
        if (!string.IsNullOrWhiteSpace(modelId))
        {
            if (CustomPrices.Count > 0 && ModelIds.TryMatch(CustomView(), modelId, out var custom))
            {
                return new ModelPriceMatch(CustomPrices[custom], ModelPriceSource.Custom, custom);
            }

            if (Table.TryGetPrice(modelId, out var price, out var listed))
            {
                return new ModelPriceMatch(price, ModelPriceSource.Table, listed);
            }
        }

        return FallbackPrice is { } fallback ? new ModelPriceMatch(fallback, ModelPriceSource.Fallback, null) : null;
    }

    private IReadOnlyDictionary<string, ModelPrice> CustomView()
        => CustomPrices as IReadOnlyDictionary<string, ModelPrice> ?? new Dictionary<string, ModelPrice>(CustomPrices, StringComparer.OrdinalIgnoreCase);
}
