using AgentBill.Pricing;

namespace AgentBill.Extensions.AI.Tests.Pricing;

public sealed class ModelPriceTests
{
    private static readonly ModelPrice Gpt4o = new(2_500_000, 1_250_000, 10_000_000);

    [Fact]
    public void Input_and_output_tokens_are_priced_at_their_own_rates()
    {
        // 1,000 × $2.50/M + 200 × $10/M = $0.0025 + $0.002.
        Assert.Equal(4_500, Gpt4o.CostOf(new TokenUsage(1_000, 0, 200)));
    }

    [Fact]
    public void Cached_input_tokens_are_priced_at_the_cached_rate()
    {
        // 600 uncached × $2.50/M + 400 cached × $1.25/M.
        Assert.Equal(2_000, Gpt4o.CostOf(new TokenUsage(1_000, 400, 0)));
    }

    [Fact]
    public void The_cost_is_rounded_up_once_on_the_total()
    {
        var gpt4oMini = new ModelPrice(150_000, 75_000, 600_000);

        // 7 × 0.15 + 3 × 0.6 = 2.85 micro-USD: charged 3, not 1 + 2 = 3 by luck nor 2 by truncation.
        Assert.Equal(3, gpt4oMini.CostOf(new TokenUsage(7, 0, 3)));
        Assert.Equal(1, gpt4oMini.CostOf(new TokenUsage(1, 0, 0)));
    }

    [Fact]
    public void No_tokens_cost_nothing()
    {
        Assert.Equal(0, Gpt4o.CostOf(new TokenUsage(0, 0, 0)));
    }

    [Fact]
    public void Large_usages_are_priced_exactly_without_overflow()
    {
        var opus = new ModelPrice(15_000_000, 1_500_000, 75_000_000);

        // 10^12 tokens each way: products of 10^19, past a long, exact in the Int128 sum.
        Assert.Equal(90_000_000_000_000, opus.CostOf(new TokenUsage(1_000_000_000_000, 0, 1_000_000_000_000)));
    }

    [Fact]
    public void A_long_prompt_is_priced_at_the_long_context_rate_for_the_whole_call()
    {
        Assert.True(ModelPriceTable.BuiltIn.TryGetPrice("claude-sonnet-4", out var sonnet, out _));

        // At 200,000 prompt tokens the base rate applies; one more and every token costs the long-context rate.
        Assert.Equal(600_000 + 15_000, sonnet.CostOf(new TokenUsage(200_000, 0, 1_000)));
        Assert.Equal(1_200_006 + 22_500, sonnet.CostOf(new TokenUsage(200_001, 0, 1_000)));
    }

    [Fact]
    public void A_negative_price_is_refused_naming_the_argument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPrice(1, -1, 1));

        Assert.Equal("cachedInputPerMillion", ex.ParamName);
    }

    [Fact]
    public void More_cached_tokens_than_input_tokens_are_refused_naming_the_argument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenUsage(10, 11, 0));

        Assert.Equal("cachedInputTokens", ex.ParamName);
    }

    [Fact]
    public void Cache_written_tokens_are_priced_at_the_cache_write_rate()
    {
        var sonnet = new ModelPrice(3_000_000, 300_000, 15_000_000) { CacheWriteInputPerMillion = 3_750_000 };

        // 100 uncached × $3/M + 400 read × $0.30/M + 500 written × $3.75/M = 300 + 120 + 1,875 micro-USD.
        Assert.Equal(2_295, sonnet.CostOf(new TokenUsage(1_000, 400, 0, 500)));
    }

    [Fact]
    public void Without_a_cache_write_rate_a_write_costs_the_input_rate()
    {
        Assert.Equal(2_500_000, Gpt4o.CacheWriteInputPerMillion);
        Assert.Equal(2_500, Gpt4o.CostOf(new TokenUsage(1_000, 0, 0, 1_000)));
    }

    [Fact]
    public void More_cache_written_tokens_than_uncached_input_tokens_are_refused_naming_the_argument()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenUsage(10, 4, 0, 7));

        Assert.Equal("cacheWriteInputTokens", ex.ParamName);
    }

    [Fact]
    public void A_negative_cache_write_rate_is_refused_naming_the_property()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ModelPrice(1, 1, 1) { CacheWriteInputPerMillion = -1 });

        Assert.Equal("CacheWriteInputPerMillion", ex.ParamName);
    }
}
