using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBill.Extensions.AI;

/// <summary>Adds <see cref="AgentBillEmbeddingGenerator"/> to an embedding pipeline.</summary>
public static class AgentBillEmbeddingGeneratorBuilderExtensions
{
    /// <summary>Gates every embedding call of the pipeline on the budget.</summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the pipeline's services.</param>
    /// <param name="configure">Sets the middleware's options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseAgentBill(
        this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, IAgentBill? bill = null, Action<AgentBillEmbeddingGeneratorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerGenerator, services) =>
        {
            var options = new AgentBillEmbeddingGeneratorOptions();
            configure?.Invoke(options);
            return new AgentBillEmbeddingGenerator(
                innerGenerator,
                bill ?? services.GetService<IAgentBill>() ?? throw MissingBill.Exception(),
                options,
                services.GetService<ILoggerFactory>()?.CreateLogger<AgentBillEmbeddingGenerator>(),
                services.GetService<IMeterFactory>(),
                services.GetService<TimeProvider>());
        });
    }
}
