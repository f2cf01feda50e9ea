using System.Diagnostics.Metrics;
using AgentBill.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentBill.Ledger;

/// <summary>
/// The store resilience of a budget gate, as a layer over any <see cref="IBudgetLedger"/> (the shape of Polly v8's
/// retry and timeout strategies): every call is one attempt bounded by <see cref="AgentBillOptions.StoreTimeout"/>; a
/// charge that cannot reach the store is tried again with the same idempotency key, up to
/// <see cref="AgentBillOptions.RecordAttempts"/> times, after an exponential wait with jitter; a hold given up on is
/// released in the background once the store answers; and a hold the store cannot be asked for is refused or, under
/// <see cref="AgentBillFailureMode.FailOpen"/>, approved degraded (<see cref="ReserveOutcome.IsDegraded"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="AgentBillClient"/> wraps its ledger in one already; use this type for a facade of your own over a
/// store (a remote client, a second gate) so it keeps the same promises (DESIGN §3.8): an outcome the client cannot
/// know is always an <see cref="AgentBillUnavailableException"/>, never a refusal, and usage is never dropped silently.
/// Do not wrap a ledger twice: the attempts would multiply (a client handed one unwraps it and applies its own options).
/// </para>
/// <para>
/// A store that answers synchronously (the in-memory one) is passed through as it is: no timer, no async state
/// machine and no allocation is added to a call whose <see cref="ValueTask{TResult}"/> is already complete.
/// </para>
/// </remarks>
public sealed class ResilientBudgetLedger : IBudgetLedger, IDisposable
{
    private readonly IBudgetLedger _inner;
    private readonly AgentBillOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AgentBillTelemetry _telemetry;
    private readonly bool _ownsTelemetry;
    private readonly PeriodCalendar _calendar;
    private readonly RetryBackoff _backoff;
    private readonly AbandonedHolds _abandoned;

    /// <summary>Wraps a store.</summary>
    /// <param name="inner">The store.</param>
    /// <param name="options">The timeout, attempts, retry delay, failure mode and time zone to follow, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock for timeouts, waits and the time a retried charge is stamped with, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where retries, failures and fail-open approvals are logged, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the <see cref="AgentBillDiagnostics.Name"/> meter its counters are on, or <see langword="null"/> for a standalone one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public ResilientBudgetLedger(IBudgetLedger inner, AgentBillOptions? options = null, TimeProvider? timeProvider = null, ILogger? logger = null, IMeterFactory? meterFactory = null)
        : this(inner ?? throw new ArgumentNullException(nameof(inner)), Validated(options), timeProvider ?? TimeProvider.System, logger ?? NullLogger.Instance, new AgentBillTelemetry(meterFactory), ownsTelemetry: true)
    {
    }

    /// <summary>Wraps a store for a client, which shares its telemetry; <paramref name="random"/> decides the jitter (tests).</summary>
    internal ResilientBudgetLedger(
        IBudgetLedger inner, AgentBillOptions options, TimeProvider time, ILogger logger, AgentBillTelemetry telemetry, bool ownsTelemetry = false, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _options = options;
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
        _ownsTelemetry = ownsTelemetry;
        _calendar = new PeriodCalendar(options.TimeZone);
        _backoff = new RetryBackoff(options.RecordRetryDelay, random);
        _abandoned = new AbandonedHolds(
            (customer, id, ct) => ReleaseAsync(new ReleaseCommand(customer, id, _time.GetUtcNow()), ct),
            _backoff,
            options,
            time,
            logger);
    }

    /// <summary>Gets the store this layer wraps.</summary>
    public IBudgetLedger InnerLedger => _inner;

    /// <summary>
    /// Gets how long the replay of a charge sent under a key made for it alone must stay answerable: twice the longest
    /// its attempts and waits can take.
    /// </summary>
    public TimeSpan RetryWindow => RetryBackoff.RetryWindow(_options);

    /// <inheritdoc />
    /// <remarks>
    /// A hold the layer gives up on (no answer in time, a failure mid-call, the caller cancelling) may still land: it is
    /// released by its id in the background once the store answers. A store that cannot be reached makes this throw
    /// <see cref="AgentBillUnavailableException"/>, or, under <see cref="AgentBillFailureMode.FailOpen"/>, approve
    /// without a hold (<see cref="ReserveOutcome.IsDegraded"/>), logged and counted.
    /// </remarks>
    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        ValueTask<ReserveOutcome> pending;
        try
        {
            pending = _inner.ReserveAsync(command, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: decided in the task like any failure; nothing was sent, so nothing is left to release.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending = ValueTask.FromException<ReserveOutcome>(ex);
        }

        return pending.IsCompletedSuccessfully ? pending : ReserveSlowAsync(pending, command, cancellationToken);
    }

    /// <summary>A hold the store did not answer at once, or refused to take: waited for within the timeout, abandoned or failed open.</summary>
    private async ValueTask<ReserveOutcome> ReserveSlowAsync(ValueTask<ReserveOutcome> pending, ReserveCommand command, CancellationToken cancellationToken)
    {
        try
        {
            if (pending.IsCompleted)
            {
                // The store failed at once: nothing is in flight to release.
                return await pending.ConfigureAwait(false);
            }

            var sent = pending.AsTask();
            try
            {
                return await sent.WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or AgentBillUnavailableException)
            {
                _abandoned.Release(sent, command.Call.CustomerId, command.ReservationId);
                if (ex is TimeoutException timeout)
                {
                    throw TimedOut(timeout);
                }

                throw;
            }
        }
        catch (AgentBillUnavailableException ex) when (_options.FailureMode == AgentBillFailureMode.FailOpen)
        {
            // The one place fail-open is decided: approved with no hold, so the run's record charges directly.
            Log.FailedOpen(_logger, ex, command.Call.AgentId);
            _telemetry.Degraded.Add(1, new KeyValuePair<string, object?>(AgentBillDiagnostics.Tags.AgentId, command.Call.AgentId));
            return new ReserveOutcome { Approved = true, IsDegraded = true };
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Tried again while the store cannot be reached, with the command's idempotency key (or reservation id), so an
    /// attempt that landed unseen makes the next one a replay; each retry is stamped with the time it is sent. After
    /// the last attempt the <see cref="AgentBillUnavailableException"/> surfaces: usage is never dropped silently.
    /// </remarks>
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        var charging = WithinTimeout(static (ledger, c, ct) => ledger.ChargeAsync(c, ct), command, cancellationToken);
        return charging.IsCompletedSuccessfully ? charging : ChargeRetryingAsync(command, charging, cancellationToken);
    }

    private async ValueTask<ChargeOutcome> ChargeRetryingAsync(ChargeCommand command, ValueTask<ChargeOutcome> charging, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await charging.ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException ex) when (attempt < _options.RecordAttempts)
            {
                _telemetry.RecordRetries.Add(1);
                Log.RecordRetrying(_logger, ex, command.Call.AgentId, attempt, _options.RecordAttempts);
                await Task.Delay(_backoff.Next(attempt), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException ex)
            {
                _telemetry.RecordFailures.Add(1);
                Log.RecordFailed(_logger, ex, command.Call.AgentId, command.Units, command.Call.Meter, attempt);
                throw;
            }
            catch (AgentBillException ex) when (attempt > 1 && ex is not IdempotencyConflictException and not AgentBillRefusedException)
            {
                // An earlier attempt did not answer: it may have landed, or may still land once the store runs it.
                // A later attempt's refusal (a clock found skewed, say) speaks only for itself, so the record's
                // outcome is unknown, which is what the caller is told, with how to settle it.
                _telemetry.RecordFailures.Add(1);
                Log.RecordFailed(_logger, ex, command.Call.AgentId, command.Units, command.Call.Meter, attempt);
                throw new AgentBillUnavailableException(
                    "The record's outcome is unknown: an earlier attempt got no answer and may have been charged, and the retry was refused (" + ex.Message + "). " +
                    "Record again with the same reservation id or idempotency key once the store accepts it: it is charged exactly once.",
                    ex);
            }

            command = Restamped(command);
            charging = WithinTimeout(static (ledger, c, ct) => ledger.ChargeAsync(c, ct), command, cancellationToken);
        }
    }

    /// <summary>A charge to send again, stamped with the time now: its periods (and period choices), and its keys remembered as long from now.</summary>
    private ChargeCommand Restamped(ChargeCommand command)
    {
        var now = _time.GetUtcNow();
        var call = command.Call;
        return command with
        {
            Call = call with
            {
                Now = now,
                Periods = _calendar.KeysAt(now),
                Choices = call.Choices is null ? null : _calendar.ChoicesAt(now),
                RememberUntil = now + (call.RememberUntil - call.Now),
            },
        };
    }

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, c, ct) => ledger.TopUpAsync(c, ct), command, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, c, ct) => ledger.ExtendAsync(c, ct), command, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, c, ct) => ledger.ReleaseAsync(c, ct), command, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, b, ct) => ledger.SetBudgetAsync(b, ct), budget, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, k, ct) => ledger.GetBudgetAsync(k, ct), key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, k, ct) => ledger.RemoveBudgetAsync(k, ct), key, cancellationToken);

    /// <inheritdoc />
    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, read, ct) => ledger.GetUsageAsync(read.key, read.periodKey, read.now, ct), (key, periodKey, now), cancellationToken);

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, reset, ct) => ledger.ResetUsageAsync(reset.key, reset.periodKey, ct), (key, periodKey), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
        => WithinTimeout(static (ledger, read, ct) => ledger.GetOpenHoldsAsync(read.customerId, read.now, ct), (customerId, now), cancellationToken);

    /// <inheritdoc />
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
        => WithinTimeout(
            static (ledger, read, ct) => ledger.GetOpenHoldsPageAsync(read.customerId, read.cursor, read.limit, read.now, ct),
            (customerId, cursor, limit, now),
            cancellationToken);

    /// <summary>Stops releasing abandoned holds (those not released yet expire), and the counters it owns.</summary>
    public void Dispose()
    {
        _abandoned.Dispose();
        if (_ownsTelemetry)
        {
            _telemetry.Dispose();
        }
    }

    private static AgentBillOptions Validated(AgentBillOptions? options)
    {
        options ??= new AgentBillOptions();
        AgentBillOptionsValidator.ThrowIfInvalid(options);
        return options;
    }

    /// <summary>
    /// Runs one attempt of a store call, and counts the store unreachable when it does not answer within
    /// <see cref="AgentBillOptions.StoreTimeout"/>. A call that completes synchronously (the in-memory store) is
    /// returned as it is, paying nothing for the timeout; a call that throws instead of returning a task fails the
    /// returned task, like an async method. The call is a static lambda given the store, so no delegate is allocated.
    /// </summary>
    private ValueTask<TResult> WithinTimeout<TArg, TResult>(Func<IBudgetLedger, TArg, CancellationToken, ValueTask<TResult>> call, TArg argument, CancellationToken cancellationToken)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = call(_inner, argument, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }

        return pending.IsCompleted ? pending : AwaitWithinTimeoutAsync(pending.AsTask(), cancellationToken);
    }

    /// <inheritdoc cref="WithinTimeout{TArg, TResult}"/>
    private ValueTask WithinTimeout<TArg>(Func<IBudgetLedger, TArg, CancellationToken, ValueTask> call, TArg argument, CancellationToken cancellationToken)
    {
        ValueTask pending;
        try
        {
            pending = call(_inner, argument, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException(ex);
        }

        return pending.IsCompleted ? pending : new(AwaitWithinTimeoutAsync(pending.AsTask(), cancellationToken));
    }

    private async ValueTask<TResult> AwaitWithinTimeoutAsync<TResult>(Task<TResult> pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(ex);
        }
    }

    private async Task AwaitWithinTimeoutAsync(Task pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(ex);
        }
    }

    private AgentBillUnavailableException TimedOut(TimeoutException timeout)
        => new($"The budget store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s.", timeout);
}
