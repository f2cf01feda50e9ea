using System.Diagnostics.Metrics;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentBill.Extensions.AI;

/// <summary>
/// An embedding middleware that gates every call on the budget like <see cref="AgentBillChatClient"/>: the texts'
/// tokens are counted, priced and held before the call (a refusal throws without calling the provider), the hold is
/// kept alive while the provider works, and the reported usage is settled after it: the estimate, flagged, where it
/// is missing, zero or inconsistent, and the hold for a call cancelled after it was sent.
/// </summary>
[GatesModelCalls]
public sealed class AgentBillEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly AgentBillEmbeddingGeneratorOptions _options;
    private readonly ModelCallGate _gate;
    private EmbeddingGeneratorMetadata? _metadata;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerGenerator">The generator that calls the model.</param>
    /// <param name="bill">The budget gate.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the metrics meter, or <see langword="null"/> for a standalone one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="bill"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AgentBillEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        IAgentBill bill,
        AgentBillEmbeddingGeneratorOptions? options = null,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null)
        : this(innerGenerator, bill, options, logger, meterFactory, timeProvider: null)
    {
    }

    /// <summary>Creates the middleware on a clock of its own.</summary>
    /// <param name="innerGenerator">The generator that calls the model.</param>
    /// <param name="bill">The budget gate.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the metrics meter, or <see langword="null"/> for a standalone one.</param>
    /// <param name="timeProvider">The clock for keeping holds alive, unless the options name one; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerGenerator"/> or <paramref name="bill"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AgentBillEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> innerGenerator,
        IAgentBill bill,
        AgentBillEmbeddingGeneratorOptions? options,
        ILogger? logger,
        IMeterFactory? meterFactory,
        TimeProvider? timeProvider)
        : base(innerGenerator)
    {
        ArgumentNullException.ThrowIfNull(bill);
        _options = options ?? new AgentBillEmbeddingGeneratorOptions();
        _gate = new ModelCallGate(bill, _options, "embeddings", logger, meterFactory, timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate; the provider was not called.</exception>
    /// <exception cref="CeilingExceededException">The estimate is above a ceiling; the provider was not called.</exception>
    /// <exception cref="UnknownModelException">The model has no price; the provider was not called.</exception>
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        IReadOnlyList<string> inputs = values as IReadOnlyList<string> ?? [.. values];
        var modelId = options?.ModelId ?? Metadata.DefaultModelId;
        var parties = ModelCallParties.Resolve(options?.AdditionalProperties, AgentBillContext.Current, _options.CustomerIdSelector, inputs, options, _options.AgentId);
        var estimate = new TokenUsage(_options.Estimator.EstimateEmbeddingTokens(inputs, modelId), 0, 0);

        var ticket = await _gate.OpenAsync(parties, modelId, estimate, cancellationToken).ConfigureAwait(false);
        var embeddings = await _gate.CallAsync(
            ticket,
            (Inner: InnerGenerator, Inputs: inputs, Options: Forwarded(options)),
            static (state, ct) => state.Inner.GenerateAsync(state.Inputs, state.Options, ct),
            cancellationToken).ConfigureAwait(false);

        var reportedModel = embeddings.Count > 0 ? embeddings[0].ModelId : null;
        var settlement = await _gate.SettleAsync(ticket, embeddings.Usage, reportedModel).ConfigureAwait(false);
        if (!ticket.IsCovered)
        {
            settlement.WriteTo(embeddings.AdditionalProperties ??= []);
        }

        return embeddings;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The options the provider receives: without the gate's own keys.</summary>
    private static EmbeddingGenerationOptions? Forwarded(EmbeddingGenerationOptions? options)
    {
        if (!GateProperties.Present(options?.AdditionalProperties))
        {
            return options;
        }

        var forwarded = options!.Clone();
        forwarded.AdditionalProperties = GateProperties.Without(options.AdditionalProperties!);
        return forwarded;
    }

    private EmbeddingGeneratorMetadata Metadata => _metadata ??= InnerGenerator.GetService<EmbeddingGeneratorMetadata>() ?? new EmbeddingGeneratorMetadata();
}
