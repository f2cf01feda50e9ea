using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>A local embedding model: one small vector per text, with the usage it is told to report.</summary>
internal sealed class ScriptedEmbeddingGenerator(long? reportedInputTokens, string? defaultModelId = "text-embedding-3-large") : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public List<EmbeddingGenerationOptions?> ReceivedOptions { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        ReceivedOptions.Add(options);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(new[] { (float)v.Length, 1f })))
        {
            Usage = reportedInputTokens is null ? null : new UsageDetails { InputTokenCount = reportedInputTokens, TotalTokenCount = reportedInputTokens },
        };
        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("scripted", null, defaultModelId) : null;

    public void Dispose()
    {
    }
}
