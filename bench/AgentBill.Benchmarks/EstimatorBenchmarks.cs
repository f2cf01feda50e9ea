using AgentBill.Extensions.AI;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AgentBill.Benchmarks;

/// <summary>The tokenizer estimator on a prompt of known size; tokens per second is the prompt's tokens over the mean.</summary>
[BenchmarkCategory("estimator")]
public class EstimatorBenchmarks
{
    private static readonly ChatMessage[] Prompt =
    [
        new(ChatRole.System, "You are a careful research assistant. Cite sources. Keep answers short."),
        new(ChatRole.User, string.Join(' ', Enumerable.Repeat("Budgets stop agent runs before they spend money their customers do not have.", 40))),
    ];

    private static readonly ChatOptions Options = new() { ModelId = "gpt-4o-mini" };

    /// <summary>Prints the prompt's size, so bench/run.sh can turn the mean time into tokens per second.</summary>
    [GlobalSetup]
    public void Setup() => Console.WriteLine($"// estimator prompt tokens: {TokenizerTokenEstimator.Shared.EstimatePromptTokens(Prompt, Options, "gpt-4o-mini")}");

    [Benchmark(Description = "estimate a ~600-token prompt (o200k)")]
    public long Estimate() => TokenizerTokenEstimator.Shared.EstimatePromptTokens(Prompt, Options, "gpt-4o-mini");
}
