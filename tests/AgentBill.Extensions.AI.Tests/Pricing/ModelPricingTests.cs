using AgentBill.Pricing;

namespace AgentBill.Extensions.AI.Tests.Pricing;

public sealed class ModelPricingTests
{
    [Fact]
    public void A_known_model_is_priced_from_the_table()
    {
        var match = new ModelPricing().Find("gpt-4o-2024-11-20");

        Assert.NotNull(match);
        Assert.Equal(ModelPriceSource.Table, match.Source);
        Assert.Equal("gpt-4o", match.PricedModel);
        Assert.Equal(2_500_000, match.Price.InputPerMillion);
    }

    [Fact]
    public void A_custom_price_overrides_the_table_for_the_model_and_its_snapshots()
    {
        var pricing = new ModelPricing();
        pricing.CustomPrices["gpt-4o"] = new ModelPrice(2_000_000, 1_000_000, 8_000_000);

        var match = pricing.Find("gpt-4o-2024-08-06");

        Assert.NotNull(match);
        Assert.Equal(ModelPriceSource.Custom, match.Source);
        Assert.Equal(8_000_000, match.Price.OutputPerMillion);
    }

    [Fact]
    public void A_custom_price_prices_a_model_the_table_does_not_know()
    {
        var pricing = new ModelPricing();
        pricing.CustomPrices["llama-3.1-70b"] = new ModelPrice(600_000, 600_000, 600_000);

        Assert.Equal(ModelPriceSource.Custom, pricing.Find("LLAMA-3.1-70B")?.Source);
    }

    [Fact]
    public void An_unknown_model_without_a_fallback_has_no_price()
    {
        Assert.Null(new ModelPricing().Find("llama-3.1-70b"));
    }

    [Fact]
    public void A_call_that_names_no_model_has_no_price_without_a_fallback()
    {
        Assert.Null(new ModelPricing().Find(null));
    }

    [Fact]
    public void An_unknown_model_is_charged_the_fallback_price_when_one_is_set()
    {
        var fallback = new ModelPrice(15_000_000, 15_000_000, 75_000_000);
        var pricing = new ModelPricing { FallbackPrice = fallback };

        var match = pricing.Find("llama-3.1-70b");

        Assert.NotNull(match);
        Assert.Equal(ModelPriceSource.Fallback, match.Source);
        Assert.Same(fallback, match.Price);
        Assert.Null(match.PricedModel);
    }

    [Fact]
    public void A_known_model_keeps_its_own_price_when_a_fallback_is_set()
    {
        var pricing = new ModelPricing { FallbackPrice = new ModelPrice(1, 1, 1) };

        Assert.Equal(ModelPriceSource.Table, pricing.Find("gpt-4o")?.Source);
    }
}
