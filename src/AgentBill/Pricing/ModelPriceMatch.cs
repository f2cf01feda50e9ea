namespace AgentBill.Pricing;

/// <summary>The price found for a model id.</summary>
/// <param name="Price">The price.</param>
/// <param name="Source">Where it came from.</param>
/// <param name="PricedModel">The id the price is listed under, or <see langword="null"/> for the fallback price.</param>
public sealed record ModelPriceMatch(ModelPrice Price, ModelPriceSource Source, string? PricedModel);
