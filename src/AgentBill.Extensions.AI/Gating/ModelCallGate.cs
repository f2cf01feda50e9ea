using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The preflight → hold → settle cycle every model call goes through: price the estimate, hold it (refusals throw
/// before the provider is called), then settle the real usage, or release the hold when the call failed before
/// producing anything. The chat and embedding gates are built on it, and so are the agent-framework integrations:
/// build one per pipeline and call it around each provider call.
/// </summary>
/// <remarks>
/// <para>
/// A call: <see cref="OpenAsync(ModelCallParties, string?, TokenUsage, CancellationToken)"/> (in the context the call was made in), then the provider call inside
/// <see cref="EnterCall(ModelCallTicket)"/> and <see cref="KeepAlive"/>, then <see cref="SettleAsync(ModelCallTicket, ModelCallOutcome)"/>
/// with what the call came to (the usage reported, the output received, whether it finished), or
/// <see cref="ReleaseAsync"/> when it failed before the provider produced anything. The runners do all of it:
/// <see cref="CallAsync{TState, TResult}(ModelCallTicket, TState, Func{TState, CancellationToken, Task{TResult}}, CancellationToken)"/>
/// for a call and <see cref="StreamAsync{TState, T, TItems}(ModelCallParties, string?, TokenUsage, TState, Func{TState, CancellationToken, IAsyncEnumerable{T}}, TItems, CancellationToken)"/>
/// for a stream; the chat and embedding gates, the Agent Framework and the Semantic Kernel integrations use them.
/// </para>
/// <para>
/// Tracing: the decision is an <c>agentbill.decision</c> event and the cost is <c>gen_ai.usage.cost.*</c> on the GenAI
/// span of <c>UseOpenTelemetry()</c> when the call runs inside one, else on the gate's own <c>agentbill.model_call</c>
/// span on the <c>AgentBill</c> ActivitySource (docs/model-call-usage.md).
/// </para>
/// <para>
/// Exactly once: while a gate's call is inside <see cref="EnterCall(ModelCallTicket)"/>, another gate of the same meter below it in
/// the pipeline (a second <c>UseAgentBill()</c>, or an agent framework's own gate over a client the user already
/// gated) is handed a covered ticket that holds and charges nothing.
/// </para>
/// </remarks>
public sealed class ModelCallGate : IDisposable
{
    private readonly IAgentBill _bill;
    private readonly AgentBillGateOptions _options;
    private readonly string _operation;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ModelCallTelemetry _telemetry;

    /// <summary>Creates a gate.</summary>
    /// <param name="bill">The budget gate.</param>
    /// <param name="options">What is charged to whom, and how it is priced and estimated.</param>
    /// <param name="operation">A short name of the calls (<c>chat</c>, <c>embeddings</c>) for logs and metrics.</param>
    /// <param name="logger">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the metrics meter, or <see langword="null"/> for a standalone one.</param>
    /// <param name="timeProvider">The clock for keeping holds alive, unless the options name one; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or <paramref name="operation"/> is empty.</exception>
    public ModelCallGate(IAgentBill bill, AgentBillGateOptions options, string operation, ILogger? logger = null, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(bill);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        options.Validate();
        _bill = bill;
        _options = options;
        _operation = operation;
        _logger = logger ?? NullLogger.Instance;
        _time = options.TimeProvider ?? timeProvider ?? TimeProvider.System;
        _telemetry = new ModelCallTelemetry(meterFactory);
    }

    /// <summary>Gets what the gate counts.</summary>
    public UsageMeter Meter => _options.Meter;

    /// <summary>
    /// Prices the estimate and holds it, for the parties given, in the current <see cref="AgentBillContext"/> (restore
    /// the one captured when a lazy call was made). Inside another gate's <see cref="EnterCall(ModelCallTicket)"/> of the same meter
    /// the ticket is covered and nothing is held.
    /// </summary>
    /// <param name="parties">Who the call is charged to.</param>
    /// <param name="modelId">The model called, or <see langword="null"/> when unknown.</param>
    /// <param name="estimate">The prompt's tokens and the output the call may produce.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="UnknownModelException">The gate counts money and the model has no price.</exception>
    /// <exception cref="CeilingExceededException">The estimate is above a ceiling.</exception>
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate.</exception>
    public async ValueTask<ModelCallTicket> OpenAsync(ModelCallParties parties, string? modelId, TokenUsage estimate, CancellationToken cancellationToken)
    {
        var ambient = AgentBillAmbient.Current;
        var context = ambient.Context;
        if (MeterInFlight(ambient.Call) == Meter)
        {
            return new ModelCallTicket(null, parties, modelId, estimate, null, null, context, Meter);
        }

        var span = ModelCallSpan.Start(_operation, parties.AgentId, modelId);
        ModelPriceMatch? price = null;
        Reservation reservation;
        DateTimeOffset openedAt;
        try
        {
            if (Meter == UsageMeter.MicroUsd)
            {
                price = _options.Pricing.Find(modelId) ?? throw RefuseUnknownModel(parties, modelId, context);
            }

            var request = new PreflightRequest(parties.AgentId)
            {
                EstimatedUnits = UnitsOf(estimate, price),
                CustomerId = parties.CustomerId,
                TaskRef = parties.TaskRef,
                Meter = Meter,
                Ceiling = _options.Ceiling,
                Ttl = _options.ReservationTtl,
            };
            openedAt = _time.GetUtcNow();
            reservation = await _bill.ReserveAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal)
        {
            span.Refused(refusal.Refusal);
            throw;
        }
        catch (Exception ex)
        {
            span.Failed(ex);
            throw;
        }

        span.Approved(reservation.Result);
        return new ModelCallTicket(reservation, parties, modelId, estimate, price, reservation.ExpiresAt - openedAt, context, Meter) { Span = span };
    }

    /// <summary>
    /// Opens the ticket of a call marked in flight before its estimate was known (<see cref="EnterCall(PendingModelCall)"/>),
    /// as <see cref="OpenAsync(ModelCallParties, string?, TokenUsage, CancellationToken)"/> does, and keeps its hold
    /// alive from now until the runner that runs the call (<see cref="CallAsync{TState, TResult}(PendingModelCall, TState, Func{TState, CancellationToken, Task{TResult}}, CancellationToken)"/>
    /// or <see cref="StreamAsync{TState, T, TItems}(PendingModelCall?, TState, Func{TState, CancellationToken, IAsyncEnumerable{T}}, TItems, CancellationToken)"/>) settles it.
    /// The call's own in-flight mark does not cover it: it is held as a call of its own.
    /// </summary>
    /// <param name="call">The call, marked in flight.</param>
    /// <param name="parties">Who the call is charged to.</param>
    /// <param name="modelId">The model called, or <see langword="null"/> when unknown.</param>
    /// <param name="estimate">The prompt's tokens and the output the call may produce.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <returns>The ticket, also on <see cref="PendingModelCall.Ticket"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The call's ticket is already open.</exception>
    /// <exception cref="UnknownModelException">The gate counts money and the model has no price.</exception>
    /// <exception cref="CeilingExceededException">The estimate is above a ceiling.</exception>
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate.</exception>
    public async ValueTask<ModelCallTicket> OpenAsync(PendingModelCall call, ModelCallParties parties, string? modelId, TokenUsage estimate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Ticket is not null)
        {
            throw new InvalidOperationException("The call's ticket is already open.");
        }

        ModelCallTicket ticket;
        using (AgentBillAmbient.EnterCall(null))
        {
            ticket = await OpenAsync(parties, modelId, estimate, cancellationToken).ConfigureAwait(false);
        }

        call.Open(ticket, KeepAlive(ticket));
        return ticket;
    }

    /// <summary>
    /// Marks the provider call of a ticket as in flight until disposed, so a gate of the same meter further down the
    /// pipeline covers it instead of holding it again. Enter it around the provider call (around each step of a stream).
    /// </summary>
    /// <param name="ticket">The ticket of the call.</param>
    /// <returns>Ends the mark.</returns>
    public CallScope EnterCall(ModelCallTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);

        // A covered ticket leaves the outer gate's mark as it is.
        var previous = ticket.IsCovered ? default : AgentBillAmbient.EnterCall(ticket);
        if (ticket.Span.Owned is not { } span)
        {
            return new CallScope(previous, !ticket.IsCovered, restoreActivity: false, null);
        }

        // The provider's own spans (its HTTP request, a GenAI span further in) are children of the gate's.
        var activity = Activity.Current;
        Activity.Current = span;
        return new CallScope(previous, !ticket.IsCovered, restoreActivity: true, activity);
    }

    /// <summary>
    /// Marks a provider call as in flight before its ticket exists, for an integration that holds the call's estimate
    /// only once its prompt is known (a kernel filter holds after the prompt is rendered, with
    /// <see cref="OpenAsync(PendingModelCall, ModelCallParties, string?, TokenUsage, CancellationToken)"/>) but must keep
    /// gates of the same meter further down from holding it again from the start. The call is
    /// <see cref="AgentBillAmbient.Call"/> until disposed.
    /// </summary>
    /// <param name="call">The call.</param>
    /// <returns>Ends the mark.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public static CallScope EnterCall(PendingModelCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new CallScope(AgentBillAmbient.EnterCall(call), restore: true, restoreActivity: false, null);
    }

    /// <summary>
    /// Clears the call in flight until disposed, for code that runs inside a provider call but is not part of it
    /// (a tool the provider's own loop invokes): model calls that code makes are then gated on their own.
    /// </summary>
    /// <returns>Restores the mark.</returns>
    public static CallScope BetweenCalls() => new(AgentBillAmbient.EnterCall(null), restore: true, restoreActivity: false, null);

    /// <summary>
    /// Keeps the ticket's hold alive while the provider works on the call: the hold is extended every half of its
    /// life on the gate's clock until the returned value is paused or disposed. Dispose it before settling.
    /// </summary>
    /// <param name="ticket">The call's ticket.</param>
    /// <returns>The running keep-alive; one that does nothing for a covered ticket or a hold with no expiry.</returns>
    public ModelCallKeepAlive KeepAlive(ModelCallTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Reservation is null || ticket.Lifetime is not { } lifetime || lifetime <= TimeSpan.Zero
            ? ModelCallKeepAlive.Inactive
            : new ModelCallKeepAlive(this, ticket, _time, lifetime / 2);
    }

    /// <summary>
    /// Charges the usage of a call that finished. Never throws: a record that fails after the core client's retries
    /// is logged, counted and flagged, and the caller keeps the provider's response.
    /// </summary>
    /// <param name="ticket">The call's ticket.</param>
    /// <param name="usage">The usage the provider reported, or <see langword="null"/>.</param>
    /// <param name="reportedModelId">The model the provider says answered, or <see langword="null"/>.</param>
    /// <returns>What was charged.</returns>
    /// <remarks>The same as <see cref="SettleAsync(ModelCallTicket, ModelCallOutcome)"/> with <see cref="ModelCallOutcome.Completed"/>, without the output.</remarks>
    public ValueTask<ModelCallSettlement> SettleAsync(ModelCallTicket ticket, UsageDetails? usage, string? reportedModelId)
        => SettleAsync(ticket, ModelCallOutcome.Completed(usage, reportedModelId));

    /// <summary>
    /// Charges what a call came to: the reported usage where it is credible, the documented upper bound where it is
    /// missing, zero, inconsistent or absurd, and the prompt plus the output received for a call that did not finish
    /// (docs/model-call-usage.md). Never throws: usage that cannot be read or priced is charged at most
    /// <see cref="AgentBillGateOptions.MaxChargedUnits"/> and flagged, and a record that fails after the core client's
    /// retries is logged, counted and flagged; the caller keeps the provider's response.
    /// </summary>
    /// <param name="ticket">The call's ticket.</param>
    /// <param name="outcome">What the call came to.</param>
    /// <returns>What was charged.</returns>
    public async ValueTask<ModelCallSettlement> SettleAsync(ModelCallTicket ticket, ModelCallOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Reservation is not { } reservation)
        {
            return new ModelCallSettlement(0, Meter, UsageEstimated: false, RecordFailed: false, ReservationId: null);
        }

        var tags = Tags(ticket.Parties);
        ModelCallCharge charge;
        try
        {
            charge = ModelCallCharge.Of(ticket, reservation.HeldUnits, outcome, PriceAt(ticket, outcome.ReportedModelId), _options);
        }
#pragma warning disable CA1031 // Whatever a custom estimator or price throws, the provider's response must reach the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            charge = ModelCallCharge.Held(ticket, reservation.HeldUnits);
            Log.UsageUnreadable(_logger, ex, _operation, ticket.Parties.AgentId, charge.Units, Meter);
        }

        var isEstimated = charge.Issue != ModelUsageIssue.None;
        if (isEstimated)
        {
            tags.Add(AgentBillDiagnostics.Tags.UsageIssue, ModelUsageIssues.Name(charge.Issue));
            _telemetry.UsageEstimated.Add(1, tags);
            Log.UsageEstimated(_logger, _operation, ticket.Parties.AgentId, ModelUsageIssues.Name(charge.Issue), charge.Units, Meter);
        }

        var recordFailed = false;
        if (ticket.Span.Owned is { } span)
        {
            // The store's record span belongs to the call's; the change ends with this method.
            Activity.Current = span;
        }

        try
        {
            // Usage that happened is recorded even when the caller has gone: no cancellation here.
            await reservation.CommitAsync(charge.Units, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever the store throws, the provider's response must reach the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            recordFailed = true;
            AgentBillContext.ReportRecordFailure(ticket.Context);
            _telemetry.RecordFailures.Add(1, tags);
            Log.RecordFailed(_logger, ex, _operation, ticket.Parties.AgentId, charge.Units, Meter);
        }

        AgentBillContext.ReportModelCall(ticket.Context, charge.Tokens.InputTokens, charge.Tokens.OutputTokens, isEstimated);
        var settlement = new ModelCallSettlement(charge.Units, Meter, isEstimated, recordFailed, reservation.Id) { UsageIssue = charge.Issue };
        ticket.Span.Settled(settlement, charge.Tokens);
        return settlement;
    }

    /// <summary>
    /// Runs a provider call that is not a stream under a ticket (the runner of a gated call): in flight
    /// (<see cref="EnterCall(ModelCallTicket)"/>), its hold kept alive while it runs. A call that fails is released,
    /// one cancelled after it was sent is charged its hold (the provider may still finish and bill it), and the
    /// exception is rethrown; the caller settles a call that answered, with
    /// <see cref="SettleAsync(ModelCallTicket, ModelCallOutcome)"/>, from what it answered.
    /// </summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="TResult">What the call answers.</typeparam>
    /// <param name="ticket">The call's ticket, from <see cref="OpenAsync(ModelCallParties, string?, TokenUsage, CancellationToken)"/>.</param>
    /// <param name="state">The call's arguments, so the delegate captures nothing.</param>
    /// <param name="call">Makes the provider call; a static lambda.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the call answered.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ticket"/> or <paramref name="call"/> is <see langword="null"/>.</exception>
    public ValueTask<TResult> CallAsync<TState, TResult>(ModelCallTicket ticket, TState state, Func<TState, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(call);
        // In flight for the call's synchronous part; its continuations carry the mark (and the span) with them.
        Task<TResult> calling;
        try
        {
            using (EnterCall(ticket))
            {
                calling = call(state, cancellationToken);
            }
        }
#pragma warning disable CA1031 // Not handled: the call's own exception, handed on in the task after the hold is settled.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            calling = Task.FromException<TResult>(ex);
        }

        // An instant answer (a cache, a test double) has no hold to keep alive, and costs no state machine.
        return calling.IsCompletedSuccessfully ? new ValueTask<TResult>(calling.Result) : AwaitCallAsync(ticket, calling);
    }

    /// <summary>
    /// Runs a provider call whose ticket is opened while it runs (<see cref="OpenAsync(PendingModelCall, ModelCallParties, string?, TokenUsage, CancellationToken)"/>):
    /// in flight as <paramref name="pending"/> throughout, its hold kept alive from the moment it is opened. A call that
    /// fails is released, one cancelled after its ticket was opened is charged its hold, and the exception is rethrown;
    /// the caller settles <see cref="PendingModelCall.Ticket"/> of a call that answered.
    /// </summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="TResult">What the call answers.</typeparam>
    /// <param name="pending">The call.</param>
    /// <param name="state">The call's arguments, so the delegate captures nothing.</param>
    /// <param name="call">Makes the call (it opens the ticket on its way); a static lambda.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the call answered.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pending"/> or <paramref name="call"/> is <see langword="null"/>.</exception>
    public async ValueTask<TResult> CallAsync<TState, TResult>(PendingModelCall pending, TState state, Func<TState, CancellationToken, Task<TResult>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            try
            {
                Task<TResult> calling;
                using (EnterCall(pending))
                {
                    calling = call(state, cancellationToken);
                }

                return await calling.ConfigureAwait(false);
            }
            finally
            {
                await pending.StopKeepAliveAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (pending.Ticket is { } sent)
        {
            await SettleAsync(sent, ModelCallOutcome.Interrupted(usage: null, reportedModelId: null, output: null)).ConfigureAwait(false);
            throw;
        }
        catch when (pending.Ticket is { } failed)
        {
            await ReleaseAsync(failed).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs a gated stream (the runner of a gated stream): when enumeration starts, the estimate is held in the
    /// <see cref="AgentBillAmbient"/> current now (a refusal throws, or ends the stream with
    /// <see cref="IModelCallStreamItems{T}.TryAnswer"/>'s item); every step runs in that state with the call in flight,
    /// its hold kept alive while the provider works and let expire while nobody reads; every item's usage reports are
    /// folded (<see cref="ModelUsage.Fold"/>); the call is settled when the stream completes, fails after it produced
    /// something, is cancelled or is disposed early (at its prompt plus the output received when no usage arrived,
    /// never above the hold), and released when it failed before producing anything.
    /// </summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="T">The stream's items.</typeparam>
    /// <typeparam name="TItems">Reads the items; a struct costs no allocation.</typeparam>
    /// <param name="parties">Who the call is charged to.</param>
    /// <param name="modelId">The model called, or <see langword="null"/> when unknown.</param>
    /// <param name="estimate">The prompt's tokens and the output the call may produce.</param>
    /// <param name="state">The call's arguments, so the delegate captures nothing.</param>
    /// <param name="call">Makes the provider's stream; a static lambda.</param>
    /// <param name="items">Reads the items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The gated stream, with <see cref="IModelCallStreamItems{T}.TryTrailer"/>'s item last.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<T> StreamAsync<TState, T, TItems>(
        ModelCallParties parties, string? modelId, TokenUsage estimate, TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> call, TItems items, CancellationToken cancellationToken)
        where TItems : IModelCallStreamItems<T>
        => ContextRestoringAsyncEnumerable.Create(state, call, new ModelCallStream<T, TItems>(this, AgentBillAmbient.Current, items, new ModelCallRequest(parties, modelId, estimate)), cancellationToken);

    /// <summary>
    /// Runs a stream whose ticket is opened while it runs (<see cref="OpenAsync(PendingModelCall, ModelCallParties, string?, TokenUsage, CancellationToken)"/>,
    /// as a kernel's prompt function renders its prompt in its first step), as
    /// <see cref="StreamAsync{TState, T, TItems}(ModelCallParties, string?, TokenUsage, TState, Func{TState, CancellationToken, IAsyncEnumerable{T}}, TItems, CancellationToken)"/>
    /// runs one it holds itself: every step in the <see cref="AgentBillAmbient"/> current now with <paramref name="pending"/>
    /// in flight, the hold kept alive while the provider works, the usage folded, the ticket settled (or released) at the end.
    /// </summary>
    /// <typeparam name="TState">The call's arguments.</typeparam>
    /// <typeparam name="T">The stream's items.</typeparam>
    /// <typeparam name="TItems">Reads the items; a struct costs no allocation.</typeparam>
    /// <param name="pending">The call, or <see langword="null"/> when another gate holds it: the steps then only run in the parties of now.</param>
    /// <param name="state">The call's arguments, so the delegate captures nothing.</param>
    /// <param name="call">Makes the stream; a static lambda.</param>
    /// <param name="items">Reads the items.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The gated stream.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public IAsyncEnumerable<T> StreamAsync<TState, T, TItems>(
        PendingModelCall? pending, TState state, Func<TState, CancellationToken, IAsyncEnumerable<T>> call, TItems items, CancellationToken cancellationToken)
        where TItems : IModelCallStreamItems<T>
        => ContextRestoringAsyncEnumerable.Create(state, call, new ModelCallStream<T, TItems>(this, AgentBillAmbient.Current.WithCall(pending), items, pending), cancellationToken);

    private async ValueTask<TResult> AwaitCallAsync<TResult>(ModelCallTicket ticket, Task<TResult> calling)
    {
        try
        {
            var keepAlive = calling.IsCompleted ? ModelCallKeepAlive.Inactive : KeepAlive(ticket);
            try
            {
                return await calling.ConfigureAwait(false);
            }
            finally
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            await SettleAsync(ticket, ModelCallOutcome.Interrupted(usage: null, reportedModelId: null, output: null)).ConfigureAwait(false);
            throw;
        }
        catch
        {
            await ReleaseAsync(ticket).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Frees the hold of a call that failed before the provider produced anything. Never throws over the call's own error.</summary>
    /// <param name="ticket">The call's ticket.</param>
    public async ValueTask ReleaseAsync(ModelCallTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Reservation is not { } reservation)
        {
            return;
        }

        try
        {
            await reservation.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The call's own exception is the one to surface; an unreleased hold expires.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ReleaseFailed(_logger, ex, _operation, ticket.Parties.AgentId);
        }

        ticket.Span.Released();
    }

    /// <summary>Extends a long call's hold once half its life has passed, so the call never outlives its hold (a stream calls it on each update).</summary>
    /// <param name="ticket">The call's ticket.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public async ValueTask KeepAliveAsync(ModelCallTicket ticket, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Reservation is not { } reservation || ticket.Lifetime is not { } lifetime || reservation.ExpiresAt is not { } expiresAt
            || reservation.IsClosed || expiresAt - _time.GetUtcNow() > lifetime / 2)
        {
            return;
        }

        await ExtendAsync(ticket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The meter of a call in flight, or <see langword="null"/> when none of a gate's is.</summary>
    private static UsageMeter? MeterInFlight(object? call) => call switch
    {
        ModelCallTicket ticket => ticket.Meter,
        PendingModelCall pending => pending.Meter,
        _ => null,
    };

    /// <summary>Extends a ticket's hold now. Never throws: a hold that cannot be extended is settled when the call ends.</summary>
    internal async ValueTask ExtendAsync(ModelCallTicket ticket, CancellationToken cancellationToken = default)
    {
        try
        {
            await ticket.Reservation!.ExtendAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runs on a timer too: an extension that fails must not fault anything; the settle still lands.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.KeepAliveFailed(_logger, ex, _operation, ticket.Parties.AgentId);
        }
    }

    /// <summary>Releases the gate's metrics meter.</summary>
    public void Dispose() => _telemetry.Dispose();

    private UnknownModelException RefuseUnknownModel(ModelCallParties parties, string? modelId, AgentBillContext? context)
    {
        _telemetry.UnknownModels.Add(1, Tags(parties));
        Log.UnknownModel(_logger, _operation, parties.AgentId, modelId);
        AgentBillContext.ReportRefusal(context);
        var refusal = new PreflightResult
        {
            Approved = false,
            Reason = RefusalReason.UnknownModel,
            Persistence = RefusalPersistence.Permanent,
            EstimatedUnits = 0,
            CustomerId = parties.CustomerId ?? context?.CustomerId ?? string.Empty,
            AgentId = parties.AgentId,
            TaskRef = parties.TaskRef,
            Meter = Meter,
        };
        return new UnknownModelException(refusal, modelId);
    }

    /// <summary>The price for the settle: the model the provider says answered, when it is priced, else the one the estimate used.</summary>
    private ModelPriceMatch? PriceAt(ModelCallTicket ticket, string? reportedModelId)
    {
        if (ticket.Price is null || reportedModelId is null || string.Equals(reportedModelId, ticket.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            return ticket.Price;
        }

        return _options.Pricing.Find(reportedModelId) is { Source: not ModelPriceSource.Fallback } reported ? reported : ticket.Price;
    }

    /// <summary>
    /// What an estimate comes to in the gate's meter, as a hold of it would hold: its price in micro-USD, or its tokens;
    /// <see langword="null"/> when the gate counts money and the model has no price (the call's own hold refuses it).
    /// </summary>
    /// <param name="modelId">The model, or <see langword="null"/>.</param>
    /// <param name="estimate">The tokens.</param>
    /// <returns>The units.</returns>
    public long? UnitsOf(string? modelId, TokenUsage estimate)
    {
        if (Meter != UsageMeter.MicroUsd)
        {
            return UnitsOf(estimate, null);
        }

        return _options.Pricing.Find(modelId) is { } price ? UnitsOf(estimate, price) : null;
    }

    private static long UnitsOf(TokenUsage usage, ModelPriceMatch? price)
        => price is null ? usage.TotalTokens : price.Price.CostOf(usage);

    private TagList Tags(ModelCallParties parties) => new()
    {
        { AgentBillDiagnostics.Tags.AgentId, parties.AgentId },
        { AgentBillDiagnostics.Tags.Operation, _operation },
    };

    /// <summary>Ends the in-flight mark of <see cref="EnterCall(ModelCallTicket)"/>.</summary>
    public readonly struct CallScope : IDisposable
    {
        private readonly AgentBillContext.Restoration _previous;
        private readonly bool _restore;
        private readonly bool _restoreActivity;
        private readonly Activity? _activity;

        internal CallScope(AgentBillContext.Restoration previous, bool restore, bool restoreActivity, Activity? activity)
        {
            _previous = previous;
            _restore = restore;
            _restoreActivity = restoreActivity;
            _activity = activity;
        }

        /// <summary>Restores the mark, and the current activity, that were there before.</summary>
        public void Dispose()
        {
            if (_restore)
            {
                _previous.Dispose();
            }

            if (_restoreActivity)
            {
                Activity.Current = _activity;
            }
        }
    }
}
