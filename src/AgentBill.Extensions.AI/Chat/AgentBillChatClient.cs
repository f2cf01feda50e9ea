using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
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

    /// <summary>The agent this gate charges a round-trip to when no context or call names one.</summary>
    internal string AgentId => _options.AgentId;
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
            return ChatRefusals.Response(refusal);
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
        var context = AgentBillContext.Current;
        return StreamAsync(Prepare(messages, options, context), context, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(ChatCall call, AgentBillContext? context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ModelCallTicket? ticket = null;
        AgentBillRefusedException? refused = null;
        using (AgentBillContext.Restore(context))
        {
            try
            {
                ticket = await _gate.OpenAsync(call.Parties, call.ModelId, call.Estimate, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentBillRefusedException refusal) when (_options.RefusalMode == AgentBillRefusalMode.ReturnResponse)
            {
                refused = refusal;
            }
        }

        if (ticket is null)
        {
            yield return ChatRefusals.Update(refused!);
            yield break;
        }

        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            using (AgentBillContext.Restore(context))
            using (_gate.EnterCall(ticket))
            {
                updates = base.GetStreamingResponseAsync(call.Messages, call.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
        }
        catch
        {
            await _gate.ReleaseAsync(ticket).ConfigureAwait(false);
            throw;
        }

        var keepAlive = _gate.KeepAlive(ticket);
        List<ChatResponseUpdate> received = [];
        List<UsageDetails>? reports = null;
        string? modelId = null;
        var finished = false;
        var completed = false;
        var cancelled = false;
        ModelCallSettlement settlement = default;
        try
        {
            while (true)
            {
                bool more;
                keepAlive.Resume();
                try
                {
                    more = await MoveNextAsync(updates, ticket, context).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    cancelled = true;
                    throw;
                }
                finally
                {
                    // The consumer holds the update now: a stream nobody reads lets its hold expire.
                    keepAlive.Pause();
                }

                if (!more)
                {
                    break;
                }

                var update = updates.Current;
                received.Add(update);
                modelId = update.ModelId ?? modelId;
                finished |= update.FinishReason is not null;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent reported)
                    {
                        (reports ??= []).Add(reported.Details);
                    }
                }

                await _gate.KeepAliveAsync(ticket, cancellationToken).ConfigureAwait(false);
                yield return update;
            }

            completed = true;
        }
        finally
        {
            try
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);

                // A stream that produced something, or was cancelled after it was sent, was paid for: it is settled
                // at what it reported, or the prompt plus what arrived. One that failed before any answer is released.
                if (completed || received.Count > 0 || cancelled)
                {
                    // A stream that just stops, with neither a finish reason nor usage, was cut off: a proxy closing
                    // the connection between two chunks ends it as cleanly as the model would.
                    var whole = completed && (finished || reports is not null);
                    settlement = await _gate.SettleAsync(ticket, Outcome(reports, modelId, received, whole)).ConfigureAwait(false);
                }
                else
                {
                    await _gate.ReleaseAsync(ticket).ConfigureAwait(false);
                }
            }
        }

        if (!ticket.IsCovered)
        {
            var trailer = new ChatResponseUpdate { AdditionalProperties = [] };
            settlement.WriteTo(trailer.AdditionalProperties);
            yield return trailer;
        }
    }

    /// <summary>What a stream came to; its output is folded only when the usage may need checking against it.</summary>
    private static ModelCallOutcome Outcome(List<UsageDetails>? reports, string? modelId, List<ChatResponseUpdate> received, bool completed)
    {
        var usage = reports is null ? null : ModelUsage.Fold(reports);
        var output = ModelUsage.NeedsProducedCount(usage, interrupted: !completed) ? received.ToChatResponse().Messages : null;
        return completed ? ModelCallOutcome.Completed(usage, modelId, output) : ModelCallOutcome.Interrupted(usage, modelId, output);
    }

    /// <summary>One step of the provider's stream, in the context the call was made in and marked in flight.</summary>
    private ValueTask<bool> MoveNextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, ModelCallTicket ticket, AgentBillContext? context)
    {
        using (AgentBillContext.Restore(context))
        using (_gate.EnterCall(ticket))
        {
            return updates.MoveNextAsync();
        }
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
