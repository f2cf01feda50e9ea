using AgentBill.Pricing;

namespace AgentBill.Extensions.AI.Tests.Pricing;

public sealed class ModelPriceTableTests
{
    [Fact]
    public void The_built_in_table_is_dated_and_versioned()
    {
        var table = ModelPriceTable.BuiltIn;

        // The date of the LiteLLM price file it was generated from.
        Assert.Equal("2026.07.24", table.Version);
        Assert.Equal(new DateOnly(2026, 7, 24), table.EffectiveDate);
    }

    // Published list prices (platform.openai.com/docs/pricing, claude.com/pricing, ai.google.dev/gemini-api/docs/pricing).
    [Theory]
    [InlineData("gpt-4o", 2_500_000, 1_250_000, 10_000_000, 2_500_000)]
    [InlineData("gpt-4o-mini", 150_000, 75_000, 600_000, 150_000)]
    [InlineData("gpt-4o-2024-05-13", 5_000_000, 5_000_000, 15_000_000, 5_000_000)]
    [InlineData("gpt-3.5-turbo-0613", 1_500_000, 1_500_000, 2_000_000, 1_500_000)]
    [InlineData("gpt-3.5-turbo-1106", 1_000_000, 1_000_000, 2_000_000, 1_000_000)]
    [InlineData("gpt-4-1106-preview", 10_000_000, 10_000_000, 30_000_000, 10_000_000)]
    [InlineData("gpt-4-0125-preview", 10_000_000, 10_000_000, 30_000_000, 10_000_000)]
    [InlineData("gpt-5", 1_250_000, 125_000, 10_000_000, 1_250_000)]
    [InlineData("claude-sonnet-4-5", 3_000_000, 300_000, 15_000_000, 3_750_000)]
    [InlineData("claude-haiku-4-5", 1_000_000, 100_000, 5_000_000, 1_250_000)]
    [InlineData("gemini-2.5-flash", 300_000, 30_000, 2_500_000, 300_000)]
    [InlineData("text-embedding-3-small", 20_000, 20_000, 0, 20_000)]
    [InlineData("gemini-embedding-001", 150_000, 150_000, 0, 150_000)]
    public void A_known_model_has_its_list_price_in_micro_usd_per_million_tokens(string model, long input, long cachedInput, long output, long cacheWrite)
    {
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice(model, out var price, out var listed));

        Assert.Equal(model, listed);
        Assert.Equal((input, cachedInput, output, cacheWrite), (price.InputPerMillion, price.CachedInputPerMillion, price.OutputPerMillion, price.CacheWriteInputPerMillion));
    }

    [Fact]
    public void A_long_context_tier_is_pinned_at_its_published_rates()
    {
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice("gemini-2.5-pro", out var price, out _));

        Assert.Equal(200_000, price.LongContext?.AbovePromptTokens);
        Assert.Equal((2_500_000, 250_000, 15_000_000), (price.LongContext!.Price.InputPerMillion, price.LongContext.Price.CachedInputPerMillion, price.LongContext.Price.OutputPerMillion));
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("GPT-4O", "gpt-4o")]
    [InlineData("openai/gpt-4.1-mini", "gpt-4.1-mini")]
    [InlineData("claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("claude-sonnet-4-5-20250929", "claude-sonnet-4-5")]
    [InlineData("claude-3-5-sonnet@20240620", "claude-3-5-sonnet")]
    [InlineData("claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku")]
    [InlineData("models/gemini-1.5-pro-002", "gemini-1.5-pro")]
    [InlineData("gemini-2.5-flash-preview-05-20", "gemini-2.5-flash")]
    [InlineData("gemini/gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("claude-3-haiku-20240307", "claude-3-haiku")]
    [InlineData("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku")]
    [InlineData("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet")]
    [InlineData("gpt-4-0613", "gpt-4")]
    public void A_dated_snapshot_or_routed_name_is_priced_as_its_model(string modelId, string expected)
    {
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice(modelId, out _, out var listed));

        Assert.Equal(expected, listed);
    }

    [Theory]
    [InlineData("gpt-4o-audio-preview")]
    [InlineData("gpt-4o-realtime-preview")]
    [InlineData("claude-sonnet-4-7")]
    [InlineData("gpt-5.7")]
    [InlineData("ft:gpt-4o-2024-08-06:acme::abc123")]
    [InlineData("gemini-3-pro")]
    [InlineData("llama-3.1-70b")]
    public void A_variant_with_a_price_of_its_own_is_not_guessed(string modelId)
    {
        Assert.False(ModelPriceTable.BuiltIn.TryGetPrice(modelId, out _, out _));
    }

    [Fact]
    public void A_snapshot_priced_apart_from_its_model_is_not_priced_as_its_model()
    {
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice("gpt-4o-2024-05-13", out var snapshot, out _));
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice("gpt-4o", out var model, out _));

        Assert.NotEqual(model, snapshot);
    }

    [Fact]
    public void A_table_refuses_an_empty_version()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ModelPriceTable(" ", new DateOnly(2026, 1, 1), []));

        Assert.Equal("version", ex.ParamName);
    }
}
