using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests;

/// <summary>An embedding provider that takes the request, says so, and never answers: only cancellation ends the call.</summary>
internal sealed class BlockingEmbeddingGenerator(TaskCompletionSource sent, string? defaultModelId = "text-embedding-3-large") : IEmbeddingGenerator<string, Embedding<float>>
{
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        sent.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("Never reached.");
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("blocking", null, defaultModelId) : null;

    public void Dispose()
    {
    }
}
