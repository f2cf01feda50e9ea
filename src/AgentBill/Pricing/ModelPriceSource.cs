namespace AgentBill.Pricing;

/// <summary>Where a model's price came from.</summary>
public enum ModelPriceSource
{
    /// <summary>A price set in <see cref="ModelPricing.CustomPrices"/>.</summary>
    Custom = 0,

    /// <summary>A price from <see cref="ModelPricing.Table"/>.</summary>
    Table = 1,

    /// <summary><see cref="ModelPricing.FallbackPrice"/>, charged because the model has no price of its own.</summary>
    Fallback = 2,
}
