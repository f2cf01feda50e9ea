using AgentBill.Pricing;

namespace AgentBill.Tools.UpdatePrices;

/// <summary>A price the built-in table lists.</summary>
/// <param name="Id">The model id it is listed under.</param>
/// <param name="Price">The price.</param>
/// <param name="IsOverride">Whether it comes from the overrides file rather than the LiteLLM file.</param>
internal sealed record SelectedPrice(string Id, ModelPrice Price, bool IsOverride);
