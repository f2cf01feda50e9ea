using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>Settings of an <see cref="AgentBillEmbeddingGenerator"/>.</summary>
public sealed class AgentBillEmbeddingGeneratorOptions : AgentBillGateOptions
{
    /// <summary>Gets or sets the agent label charged for the calls. Defaults to <c>embeddings</c>.</summary>
    public override string AgentId { get; set; } = "embeddings";

    /// <summary>
    /// Gets or sets a delegate that names the customer of a call, consulted when neither the call's
    /// <see cref="AgentBillPropertyNames.CustomerId"/> property nor an <see cref="AgentBillContext"/> names one.
    /// </summary>
    public Func<IReadOnlyList<string>, EmbeddingGenerationOptions?, string?>? CustomerIdSelector { get; set; }
}
