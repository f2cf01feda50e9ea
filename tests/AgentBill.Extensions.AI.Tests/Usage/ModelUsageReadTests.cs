using AgentBill.Pricing;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Usage;

public sealed class ModelUsageReadTests
{
    private static readonly TokenUsage Estimate = new(11, 0, 400);

    [Fact]
    public void Cache_writes_reported_by_the_anthropic_adapter_are_read_from_the_additional_counts()
    {
        // The official adapter's shape: input counts the cached and cache-written tokens, as Microsoft.Extensions.AI does.
        var usage = new UsageDetails
        {
            InputTokenCount = 3_010,
            CachedInputTokenCount = 2_000,
            OutputTokenCount = 100,
            AdditionalCounts = new() { [ModelUsage.CacheCreationInputTokensKey] = 1_000 },
        };

        var reading = ModelUsage.Read(usage, Estimate, producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(3_010, 2_000, 100, 1_000), reading.Tokens);
        Assert.False(reading.IsEstimated);
    }

    [Fact]
    public void An_input_counted_anthropics_way_gets_the_cached_and_cache_written_tokens_added()
    {
        // Anthropic's own input_tokens leave out what the cache served and stored; adapters passing it on say so by
        // reporting the cache reads as an additional count instead of CachedInputTokenCount.
        var usage = new UsageDetails
        {
            InputTokenCount = 10,
            OutputTokenCount = 100,
            AdditionalCounts = new() { [ModelUsage.CacheReadInputTokensKey] = 2_000, [ModelUsage.CacheCreationInputTokensKey] = 1_000 },
        };

        var reading = ModelUsage.Read(usage, Estimate, producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(3_010, 2_000, 100, 1_000), reading.Tokens);
    }

    [Fact]
    public void An_input_too_small_to_hold_its_cache_writes_gets_them_added()
    {
        var usage = new UsageDetails
        {
            InputTokenCount = 10,
            OutputTokenCount = 100,
            AdditionalCounts = new() { [ModelUsage.CacheCreationInputTokensKey] = 1_000 },
        };

        var reading = ModelUsage.Read(usage, Estimate, producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(1_010, 0, 100, 1_000), reading.Tokens);
    }

    [Fact]
    public async Task Cache_writes_are_charged_at_the_cache_write_price()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var usage = new UsageDetails
        {
            InputTokenCount = 3_010,
            CachedInputTokenCount = 2_000,
            OutputTokenCount = 100,
            AdditionalCounts = new() { [ModelUsage.CacheCreationInputTokensKey] = 1_000 },
        };
        using var gate = Gates.Chat(ScriptedChatClient.Answering("ok", usage, defaultModelId: "claude-haiku-4-5"), bill);

        await gate.GetResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 100));

        // claude-haiku-4-5: 10 × $1/M + 2,000 × $0.10/M + 1,000 × $1.25/M (the write) + 100 × $5/M.
        Assert.Equal(10 + 200 + 1_250 + 500, await bill.UsedAsync("alice"));
    }

    [Fact]
    public void A_count_beyond_what_a_record_holds_is_read_as_a_missing_one_and_flagged_absurd()
    {
        var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 2_000_000_000_000_000 };

        var reading = ModelUsage.Read(usage, Estimate, producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(100, 0, 400), reading.Tokens);
        Assert.Equal(ModelUsageIssue.Absurd, reading.Issue);
    }

    [Fact]
    public void An_interrupted_call_is_read_as_its_reported_input_and_the_output_received()
    {
        var reading = ModelUsage.Read(new UsageDetails { InputTokenCount = 180, OutputTokenCount = 5 }, Estimate, producedOutputTokens: 12, interrupted: true);

        Assert.Equal(new TokenUsage(180, 0, 12), reading.Tokens);
        Assert.Equal(new TokenUsage(180, 0, 5), reading.Reported);
        Assert.Equal(ModelUsageIssue.Interrupted, reading.Issue);
    }

    [Fact]
    public void An_interrupted_call_with_no_usage_and_no_output_known_is_read_as_its_estimate()
    {
        var reading = ModelUsage.Read(null, Estimate, producedOutputTokens: null, interrupted: true);

        Assert.Equal(Estimate, reading.Tokens);
        Assert.Equal(new TokenUsage(0, 0, 0), reading.Reported);
    }

    [Fact]
    public void An_embedding_usage_without_output_is_complete()
    {
        var reading = ModelUsage.Read(new UsageDetails { InputTokenCount = 8, TotalTokenCount = 8 }, new TokenUsage(8, 0, 0), producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(8, 0, 0), reading.Tokens);
        Assert.False(reading.IsEstimated);
    }

    [Fact]
    public void An_embedding_total_above_its_input_is_charged_as_input()
    {
        var reading = ModelUsage.Read(new UsageDetails { InputTokenCount = 8, TotalTokenCount = 20 }, new TokenUsage(8, 0, 0), producedOutputTokens: null, interrupted: false);

        Assert.Equal(new TokenUsage(20, 0, 0), reading.Tokens);
        Assert.Equal(ModelUsageIssue.Inconsistent, reading.Issue);
    }

    [Fact]
    public void The_reading_without_the_output_keeps_its_old_signature()
    {
        var tokens = ModelUsage.Read(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 }, Estimate, out var isEstimated);

        Assert.Equal(new TokenUsage(100, 0, 20), tokens);
        Assert.False(isEstimated);
    }
}
