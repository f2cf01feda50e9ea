using System.Diagnostics.Metrics;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentBill.Extensions.AI;

/// <summary>
/// A chat middleware that gates every model call on the budget: before the call it counts the prompt's tokens,
/// adds the output it may produce, prices the sum and holds it (a refusal throws, or answers, without calling the
/// provider); after the call it settles the usage the provider reports. Placed inside
/// <c>UseFunctionInvocation()</c>, it gates each round-trip of a tool loop, so a runaway loop stops when the
/// budget runs out.
/// </summary>
/// <remarks>
/// Streaming calls settle when the stream completes or is disposed early, from the usage the stream reported (running
/// totals repeated on every chunk are read once: <see cref="ModelUsage.Fold"/>). Usage that is missing, zero where
/// tokens were sent or produced, inconsistent with its total or absurd is charged at the documented upper bound, never
/// zero; a stream abandoned, cancelled or cut off is charged its prompt plus the output received, never above its
/// hold; a call cancelled after it was sent is charged its hold. Each such response is flagged with
/// <see cref="AgentBillPropertyNames.UsageEstimated"/> and <see cref="AgentBillPropertyNames.UsageIssue"/>
/// (docs/model-call-usage.md). The hold is kept alive while the provider works, however long it takes. A usage that
/// cannot be recorded never costs the caller the response: it is logged, counted and flagged with
/// <see cref="AgentBillPropertyNames.RecordFailed"/>.
/// </remarks>
[GatesModelCalls]
public sealed class AgentBillChatClient : DelegatingChatClient
{
    private readonly AgentBillChatClientOptions _options;
    private readonly ModelCallGate _gate;

    private ChatClientMetadata? _metadata;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that calls the model.</param>
    /// <param name="bill">The budget gate.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the metrics meter, or <see langword="null"/> for a standalone one.</param>
    /// <param name="timeProvider">The clock for keeping holds alive, unless the options name one; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="bill"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public AgentBillChatClient(
        IChatClient innerClient,
        IAgentBill bill,
        AgentBillChatClientOptions? options = null,
        ILogger? logger = null,
        IMeterFactory? meterFactory = null,
        TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(bill);
        _options = options ?? new AgentBillChatClientOptions();
        _gate = new ModelCallGate(bill, _options, "chat", logger, meterFactory, timeProvider);
    }

    /// <summary>Gets the agent this gate charges a round-trip to when neither an <see cref="AgentBillContext"/> nor the call names one.</summary>
    public string AgentId => _options.AgentId;

    /// <inheritdoc />
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate; the provider was not called.</exception>
    /// <exception cref="CeilingExceededException">The estimate is above a ceiling; the provider was not called.</exception>
    /// <exception cref="UnknownModelException">The model has no price; the provider was not called.</exception>
    /// <exception cref="CustomerRequiredException">No customer is named, current or selected and the client requires one; the provider was not called. Thrown in every refusal mode: it is not a refusal.</exception>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options, AgentBillContext.Current);
        ModelCallTicket ticket;
        try
        {
            ticket = await _gate.OpenAsync(call.Parties, call.ModelId, call.Estimate, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal) when (_options.RefusalMode == AgentBillRefusalMode.ReturnResponse)
        {
            return AgentBillRefusals.Response(refusal);
        }

        var response = await _gate.CallAsync(
            ticket,
            (Inner: InnerClient, Call: call),
            static (state, ct) => state.Inner.GetResponseAsync(state.Call.Messages, state.Call.Options, ct),
            cancellationToken).ConfigureAwait(false);
        var settlement = await _gate.SettleAsync(ticket, ModelCallOutcome.Completed(response.Usage, response.ModelId, response.Messages)).ConfigureAwait(false);
        if (!ticket.IsCovered)
        {
            settlement.WriteTo(response.AdditionalProperties ??= []);
        }

        return response;
    }

    /// <inheritdoc />
    /// <remarks>
    /// The parties are those of the <see cref="AgentBillContext"/> current when this method is called, even when the
    /// stream is enumerated later (returned from an endpoint, say). The hold is made when enumeration starts. When
    /// the stream completes, a last update with no content carries the settlement in its
    /// <see cref="ChatResponseUpdate.AdditionalProperties"/>, which <c>ToChatResponse()</c> carries over to the
    /// response's. A stream disposed early, cancelled, failing after its first update, or ending with neither a finish
    /// reason nor usage (cut off) is settled too (at its prompt plus the output received when no usage arrived, never
    /// above the hold); one failing before any update, other than by cancellation, is released.
    /// </remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options, AgentBillContext.Current);
        return _gate.StreamAsync(
            call.Parties,
            call.ModelId,
            call.Estimate,
            (Inner: InnerClient, Call: call),
            static (state, ct) => state.Inner.GetStreamingResponseAsync(state.Call.Messages, state.Call.Options, ct),
            new ChatStreamItems(_options.RefusalMode),
            cancellationToken);
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

    private ChatCall Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options, AgentBillContext? context)
    {
        ArgumentNullException.ThrowIfNull(messages);
        IReadOnlyList<ChatMessage> prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var modelId = options?.ModelId ?? Metadata.DefaultModelId;
        var parties = ModelCallParties.Resolve(options?.AdditionalProperties, context, _options.CustomerIdSelector, prompt, options, _options.AgentId);
        var forwarded = Forwarded(options);
        var inputTokens = _options.Estimator.EstimatePromptTokens(prompt, forwarded, modelId);
        var outputTokens = forwarded?.MaxOutputTokens ?? _options.DefaultMaxOutputTokens;
        return new ChatCall(prompt, forwarded, modelId, parties, new TokenUsage(inputTokens, 0, outputTokens));
    }

    /// <summary>The options the provider receives: without the gate's own keys, and with the default output cap when asked for.</summary>
    private ChatOptions? Forwarded(ChatOptions? options)
    {
        var strip = GateProperties.Present(options?.AdditionalProperties);
        var cap = _options.ApplyDefaultMaxOutputTokens && options?.MaxOutputTokens is null;
        if (!strip && !cap)
        {
            return options;
        }

        var forwarded = options?.Clone() ?? new ChatOptions();
        if (strip)
        {
            forwarded.AdditionalProperties = GateProperties.Without(options!.AdditionalProperties!);
        }

        if (cap)
        {
            forwarded.MaxOutputTokens = _options.DefaultMaxOutputTokens;
        }

        return forwarded;
    }

    private ChatClientMetadata Metadata => _metadata ??= InnerClient.GetService<ChatClientMetadata>() ?? new ChatClientMetadata();

    private readonly record struct ChatCall(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options, string? ModelId, ModelCallParties Parties, TokenUsage Estimate);
}
