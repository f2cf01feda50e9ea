using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace AgentBill.Benchmarks;

/// <summary>
/// The issue's micro-benchmark targets, computed from this run's summaries, between markers that bench/run.sh
/// copies into results/latest.md. A figure whose benchmark did not run is reported as missing, never guessed.
/// </summary>
internal static class TargetReport
{
    public const string Begin = "<!-- targets -->";
    public const string End = "<!-- /targets -->";

    public static string Of(IReadOnlyList<Summary> summaries)
    {
        var reports = summaries.SelectMany(summary => summary.Reports).Where(report => report.ResultStatistics is not null).ToList();
        var tokenBucket = Find(reports, typeof(GateBenchmarks), nameof(GateBenchmarks.TokenBucket));
        var gated = Find(reports, typeof(GateBenchmarks), nameof(GateBenchmarks.GatedCall));
        var bareChat = Find(reports, typeof(ChatMiddlewareBenchmarks), nameof(ChatMiddlewareBenchmarks.Bare));
        var gatedChat = Find(reports, typeof(ChatMiddlewareBenchmarks), nameof(ChatMiddlewareBenchmarks.Gated));

        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|--:|:-:|");
        if (tokenBucket is not null && gated is not null)
        {
            var ratio = Mean(gated) / Mean(tokenBucket);
            var bytes = BytesPerCall(gated);
            text.AppendLine(Row("[Gate]d in-memory call ≤ 3 × TokenBucketRateLimiter acquire + dispose", $"{ratio:0.0} ×", ratio <= 3));
            text.AppendLine(Row("[Gate]d in-memory call: ≤ 1 allocation, read as ≤ 64 B a call (BenchmarkDotNet counts bytes, not objects)", $"{bytes:N0} B", bytes <= 64));
        }
        else
        {
            text.AppendLine("| [Gate]d in-memory call | not measured in this run | – |");
        }

        if (bareChat is not null && gatedChat is not null)
        {
            var overhead = (Mean(gatedChat) - Mean(bareChat)) / 1_000;
            text.AppendLine(Row("UseAgentBill overhead over the bare client, tokenization excluded, ≤ 2 µs", $"{overhead:0.00} µs", overhead <= 2));
        }
        else
        {
            text.AppendLine("| UseAgentBill overhead | not measured in this run | – |");
        }

        text.AppendLine(End);
        return text.ToString();
    }

    private static BenchmarkReport? Find(List<BenchmarkReport> reports, Type type, string method)
        => reports.FirstOrDefault(report => report.BenchmarkCase.Descriptor.Type == type && report.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);

    private static double Mean(BenchmarkReport report) => report.ResultStatistics!.Mean;

    private static long BytesPerCall(BenchmarkReport report) => report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;

    private static string Row(string target, string measured, bool met)
        => string.Create(CultureInfo.InvariantCulture, $"| {target} | {measured} | {(met ? "met" : "missed")} |");
}
