using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Usage;

public sealed class StreamedUsageFoldTests
{
    [Fact]
    public void Running_totals_repeated_on_every_chunk_are_read_once()
    {
        // vLLM's continuous_usage_stats: every chunk carries the prompt and the output so far.
        UsageDetails[] reports = [.. Enumerable.Range(0, 8).Select(i => Usage(180, i * 40, 180 + (i * 40)))];

        var usage = ModelUsage.Fold(reports)!;

        Assert.Equal((180L, 280L, 460L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
    }

    [Fact]
    public void A_final_usage_repeated_by_a_gateway_is_read_once()
    {
        var usage = ModelUsage.Fold([Usage(180, 300, 480), Usage(180, 300, 480)])!;

        Assert.Equal((180L, 300L, 480L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
    }

    [Fact]
    public void Deltas_are_summed_as_Microsoft_Extensions_AI_does()
    {
        // A prompt reported once, then the output in parts.
        var usage = ModelUsage.Fold([Usage(180, 1, 181), Usage(null, 120, 120), Usage(null, 179, 179)])!;

        Assert.Equal((180L, 300L, 480L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
    }

    [Fact]
    public void Reports_whose_output_goes_down_are_summed()
    {
        var usage = ModelUsage.Fold([Usage(180, 200, 380), Usage(180, 100, 280)])!;

        Assert.Equal((360L, 300L, 660L), (usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount));
    }

    [Fact]
    public void One_report_is_the_usage_and_none_is_no_usage()
    {
        var only = Usage(180, 300, 480);

        Assert.Same(only, ModelUsage.Fold([only]));
        Assert.Null(ModelUsage.Fold([]));
    }

    [Fact]
    public void No_reports_list_is_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => ModelUsage.Fold(null!));

        Assert.Equal("reports", ex.ParamName);
    }

    private static UsageDetails Usage(long? input, long? output, long? total) => new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total };
}
