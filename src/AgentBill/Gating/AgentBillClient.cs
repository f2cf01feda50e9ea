using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBill.Alerts;
using AgentBill.InMemory;
using AgentBill.Ledger;
using AgentBill.Telemetry;
using AgentBill.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentBill;

/// <summary>
/// The budget gate over one ledger. Validates every argument before the store is touched, decides ceilings
/// without a round trip, computes periods and expiries from its <see cref="TimeProvider"/>, and turns store
/// outages into the configured failure mode.
/// </summary>
public sealed class AgentBillClient : IAgentBill, IAgentBillAdmin, IAsyncDisposable, IDisposable
{
    private readonly IBudgetLedger _ledger;
    private readonly AgentBillOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeriodCalendar _calendar;
    private readonly AgentBillTelemetry _telemetry;
    private readonly AlertDispatcher _alerts;
    private readonly int[] _thresholds;
    private readonly Dictionary<UsageMeter, BudgetLimit> _defaultBudgets;
    private readonly TimeSpan _retryWindow;

    /// <summary>Creates a client. Every argument is optional: by default it keeps budgets in memory.</summary>
    /// <param name="ledger">The store, or <see langword="null"/> for a new <see cref="InMemoryBudgetLedger"/>.</param>
    /// <param name="options">The settings, or <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The clock, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where to log, or <see langword="null"/> for nowhere.</param>
    /// <param name="meterFactory">Creates the metrics meter, or <see langword="null"/> for a standalone one.</param>
    /// <param name="alertHandlers">Handlers for budget alerts besides <see cref="AgentBillOptions.OnBudgetAlert"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public AgentBillClient(
        IBudgetLedger? ledger = null,
        AgentBillOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<AgentBillClient>? logger = null,
        IMeterFactory? meterFactory = null,
        IEnumerable<IBudgetAlertHandler>? alertHandlers = null)
    {
        _options = options ?? new AgentBillOptions();
        AgentBillOptionsValidator.ThrowIfInvalid(_options);
        _ledger = ledger ?? new InMemoryBudgetLedger();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _calendar = new PeriodCalendar(_options.TimeZone);
        _thresholds = [.. _options.AlertThresholds.Distinct().Order()];
        _defaultBudgets = new Dictionary<UsageMeter, BudgetLimit>(_options.DefaultCustomerBudgets);
        _retryWindow = RetryWindow(_options);
        _telemetry = new AgentBillTelemetry(meterFactory);
        _alerts = new AlertDispatcher(alertHandlers ?? [], _options.OnBudgetAlert, _logger, _telemetry);
    }

    /// <inheritdoc />
    public async ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agentId = Guard.Id(request.AgentId, "agentId");
        var units = Guard.Units(request.EstimatedUnits, "estimatedUnits");
        var customerId = Guard.OptionalId(request.CustomerId, "customerId") ?? _options.DefaultCustomerId;
        var taskRef = Guard.OptionalId(request.TaskRef, "taskRef");
        var meter = Guard.Defined(request.Meter, "meter");
        var ceiling = Guard.OptionalUnits(request.Ceiling, "ceiling");
        var ttl = request.Ttl is { } requested ? Guard.Positive(requested, "ttl") : _options.ReservationTtl;
        var idempotencyKey = Guard.OptionalId(request.IdempotencyKey, "idempotencyKey");

        // Reading the clock costs a system call on some virtual machines: only when someone records durations.
        var started = _telemetry.PreflightDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        using var activity = AgentBillTelemetry.ActivitySource.StartActivity("agentbill.preflight");
        activity?.SetTag("agentbill.agent_id", agentId);
        activity?.SetTag("agentbill.estimated_units", units);

        ReserveOutcome outcome;
        var degraded = false;
        if (units > Tightest(_options.Ceiling, ceiling))
        {
            // Decided here, without a store round trip: a run this large is refused whatever the budget says.
            outcome = new ReserveOutcome { Approved = false, Reason = RefusalReason.CeilingExceeded };
        }
        else
        {
            var now = _time.GetUtcNow();
            var command = new ReserveCommand(Call(customerId, agentId, taskRef, meter, idempotencyKey, now), UniqueIds.Next(), units, now + ttl);
            try
            {
                outcome = await WithinTimeout(static (ledger, c, ct) => ledger.ReserveAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException ex) when (_options.FailureMode == AgentBillFailureMode.FailOpen)
            {
                Log.FailedOpen(_logger, ex, agentId);
                _telemetry.Degraded.Add(1, new KeyValuePair<string, object?>("agentbill.agent_id", agentId));
                outcome = new ReserveOutcome { Approved = true };
                degraded = true;
            }
        }

        var result = new PreflightResult
        {
            Approved = outcome.Approved,
            Reason = outcome.Reason,
            EstimatedUnits = units,
            RemainingUnits = outcome.RemainingUnits,
            RefusedBy = outcome.RefusedBy,
            ReservationId = outcome.ReservationId,
            ExpiresAt = outcome.ExpiresAt,
            UpgradeUrl = outcome.Approved ? null : _options.UpgradeUrl,
            IsDegraded = degraded,
            IsReplay = outcome.IsReplay,
            CustomerId = customerId,
            AgentId = agentId,
            TaskRef = taskRef,
            Meter = meter,
        };
        Observe(result, activity, started);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        var result = (await PreflightAsync(request, cancellationToken).ConfigureAwait(false)).EnsureApproved();
        return new Reservation(this, result, request.Ttl);
    }

    /// <inheritdoc />
    public async ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agentId = Guard.Id(request.AgentId, "agentId");
        var units = Guard.Units(request.Units, "units");
        var customerId = Guard.OptionalId(request.CustomerId, "customerId") ?? _options.DefaultCustomerId;
        var taskRef = Guard.OptionalId(request.TaskRef, "taskRef");
        var meter = Guard.Defined(request.Meter, "meter");
        var reservationId = Guard.OptionalId(request.ReservationId, "reservationId");
        var idempotencyKey = Guard.OptionalId(request.IdempotencyKey, "idempotencyKey");
        return await ChargeAsync(agentId, units, customerId, taskRef, meter, reservationId, idempotencyKey, request.Metadata, settleOldestHold: true, callerMayRepeat: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Settles a reservation this client approved; its fields were validated by the preflight.</summary>
    internal ValueTask<RecordResult> CommitAsync(PreflightResult reservation, long actualUnits, CancellationToken cancellationToken)
    {
        Guard.Units(actualUnits);
        // A run approved degraded (fail-open) has no hold: its usage is charged directly, never against another call's hold.
        return ChargeAsync(reservation.AgentId, actualUnits, reservation.CustomerId, reservation.TaskRef, reservation.Meter, reservation.ReservationId, null, null, settleOldestHold: false, callerMayRepeat: false, cancellationToken);
    }

    private async ValueTask<RecordResult> ChargeAsync(
        string agentId,
        long units,
        string customerId,
        string? taskRef,
        UsageMeter meter,
        string? reservationId,
        string? idempotencyKey,
        IReadOnlyDictionary<string, string>? metadata,
        bool settleOldestHold,
        bool callerMayRepeat,
        CancellationToken cancellationToken)
    {
        // One key per logical record, kept across every retry below, so a retry that lands twice is a replay.
        // A settle of a named hold needs none: the store remembers settled holds and replays them.
        var callerKey = idempotencyKey is not null;
        idempotencyKey ??= reservationId is null ? UniqueIds.Next() : null;

        using var activity = AgentBillTelemetry.ActivitySource.StartActivity("agentbill.record");
        if (activity is not null)
        {
            activity.SetTag("agentbill.agent_id", agentId);
            activity.SetTag("agentbill.units", units);
            foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            {
                activity.SetTag("agentbill.metadata." + key, value);
            }
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var command = new ChargeCommand(Call(customerId, agentId, taskRef, meter, idempotencyKey, now, callerKey), units, reservationId, settleOldestHold, callerMayRepeat);
            try
            {
                var outcome = await WithinTimeout(static (ledger, c, ct) => ledger.ChargeAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
                if (!outcome.IsReplay)
                {
                    var tags = new TagList { { "agentbill.agent_id", agentId }, { "agentbill.meter", TagValues.Of(meter) } };
                    _telemetry.RecordedUnits.Add(units, tags);
                    if (outcome.IsOverrun)
                    {
                        _telemetry.Overruns.Add(1, tags);
                        Log.Overrun(_logger, agentId, units, meter);
                    }
                }

                _alerts.Enqueue(outcome.Alerts);
                return new RecordResult
                {
                    Units = outcome.Units,
                    SettledReservationId = outcome.SettledReservationId,
                    ReleasedUnits = outcome.ReleasedUnits,
                    IsOverrun = outcome.IsOverrun,
                    RemainingUnits = outcome.RemainingUnits,
                    IsReplay = outcome.IsReplay,
                };
            }
            catch (AgentBillUnavailableException ex) when (attempt < _options.RecordAttempts)
            {
                _telemetry.RecordRetries.Add(1);
                Log.RecordRetrying(_logger, ex, agentId, attempt, _options.RecordAttempts);
                var delay = _options.RecordRetryDelay * Math.Pow(2, attempt - 1);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException ex)
            {
                _telemetry.RecordFailures.Add(1);
                Log.RecordFailed(_logger, ex, agentId, units, meter, attempt);
                throw;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(reservationId);
        var customer = Guard.OptionalId(customerId) ?? _options.DefaultCustomerId;
        var command = new ReleaseCommand(customer, reservationId, _time.GetUtcNow());
        return await WithinTimeout(static (ledger, c, ct) => ledger.ReleaseAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(reservationId);
        Guard.Units(units);
        var customer = Guard.OptionalId(customerId) ?? _options.DefaultCustomerId;
        var lifetime = ttl is { } requested ? Guard.Positive(requested, nameof(ttl)) : _options.ReservationTtl;
        var now = _time.GetUtcNow();
        var command = new TopUpCommand(customer, reservationId, units, now, now + lifetime, _defaultBudgets);
        var outcome = await WithinTimeout(static (ledger, c, ct) => ledger.TopUpAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
        return new TopUpResult
        {
            Approved = outcome.Approved,
            Reason = outcome.Reason,
            HeldUnits = outcome.HeldUnits,
            RemainingUnits = outcome.RemainingUnits,
            RefusedBy = outcome.RefusedBy,
            ExpiresAt = outcome.ExpiresAt,
        };
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        Guard.Id(reservationId);
        var customer = Guard.OptionalId(customerId) ?? _options.DefaultCustomerId;
        var lifetime = ttl is { } requested ? Guard.Positive(requested, nameof(ttl)) : _options.ReservationTtl;
        var now = _time.GetUtcNow();
        var expiresAt = now + lifetime;
        var extended = await WithinTimeout(static (ledger, c, ct) => ledger.ExtendAsync(c, ct), new ExtendCommand(customer, reservationId, now, expiresAt), cancellationToken).ConfigureAwait(false);
        return extended ? expiresAt : null;
    }

    /// <inheritdoc />
    public async ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await WithinTimeout(static (ledger, b, ct) => ledger.SetBudgetAsync(b, ct), budget, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _ledger.GetBudgetAsync(Key(scope, meter), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
        => _ledger.RemoveBudgetAsync(Key(scope, meter), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
    {
        var key = Key(scope, meter);
        Guard.Defined(period);
        var now = _time.GetUtcNow();
        var instant = at ?? now;
        var budget = await _ledger.GetBudgetAsync(key, cancellationToken).ConfigureAwait(false);
        var limit = budget is not null
            ? new BudgetLimit(budget.Limit, budget.Period)
            : scope.Kind == BudgetScopeKind.Customer ? DefaultBudgetFor(meter) : null;
        var kind = limit?.Period ?? period;
        var periodKey = _calendar.KeysAt(instant).For(kind);
        var usage = await _ledger.GetUsageAsync(key, periodKey, now, cancellationToken).ConfigureAwait(false);
        var (start, end) = _calendar.BoundsAt(kind, instant);
        return new BudgetUsage(key, kind, periodKey, start, end, limit?.Limit, usage.Used, usage.Reserved);
    }

    /// <inheritdoc />
    public async ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        var usage = await GetUsageAsync(scope, meter, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _ledger.ResetUsageAsync(usage.Key, usage.PeriodKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
        => _ledger.GetOpenHoldsAsync(Guard.OptionalId(customerId) ?? _options.DefaultCustomerId, _time.GetUtcNow(), cancellationToken);

    /// <summary>Delivers the alerts already raised, then stops the alert loop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _alerts.DisposeAsync().ConfigureAwait(false);
        _telemetry.Dispose();
    }

    /// <summary>Delivers the alerts already raised, blocking until they are, then stops the alert loop.</summary>
    /// <remarks>Prefer <see cref="DisposeAsync"/>; this exists for containers that dispose synchronously.</remarks>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal ILogger Logger => _logger;

    /// <summary>Twice the longest a record can spend in its attempts and backoffs: how long replays must be answerable.</summary>
    private static TimeSpan RetryWindow(AgentBillOptions options)
    {
        var backoff = options.RecordRetryDelay.TotalSeconds * (Math.Pow(2, options.RecordAttempts - 1) - 1);
        var seconds = 2 * ((options.StoreTimeout.TotalSeconds * options.RecordAttempts) + backoff);
        return seconds >= TimeSpan.MaxValue.TotalSeconds / 4 ? TimeSpan.MaxValue / 4 : TimeSpan.FromSeconds(seconds);
    }

    private static long Tightest(long? first, long? second)
        => Math.Min(first ?? long.MaxValue, second ?? long.MaxValue);

    private static BudgetKey Key(BudgetScope scope, UsageMeter meter)
    {
        Guard.DefinedScope(scope);
        return new BudgetKey(scope, Guard.Defined(meter));
    }

    private BudgetLimit? DefaultBudgetFor(UsageMeter meter) => _defaultBudgets.GetValueOrDefault(meter);

    private LedgerCall Call(string customerId, string agentId, string? taskRef, UsageMeter meter, string? idempotencyKey, DateTimeOffset now, bool callerKey = true) => new()
    {
        CustomerId = customerId,
        AgentId = agentId,
        TaskRef = taskRef,
        Meter = meter,
        Now = now,
        Periods = _calendar.KeysAt(now),
        DefaultCustomerBudget = DefaultBudgetFor(meter),
        IdempotencyKey = idempotencyKey,
        // A caller's key is kept for the whole window; the client's own keys and settled holds only need to
        // outlive the client's retries, and keeping them a day would grow an embedded store without bound.
        RememberUntil = now + (callerKey ? _options.IdempotencyWindow : _retryWindow),
        AlertThresholds = _thresholds,
    };

    /// <summary>
    /// Runs a store call, and counts it unreachable when it does not answer within <see cref="AgentBillOptions.StoreTimeout"/>.
    /// A call that completes synchronously (the in-memory store) pays nothing for the timeout. The call is a
    /// static lambda given the ledger, so no delegate is allocated per call.
    /// </summary>
    private async ValueTask<TResult> WithinTimeout<TArg, TResult>(Func<IBudgetLedger, TArg, CancellationToken, ValueTask<TResult>> call, TArg argument, CancellationToken cancellationToken)
    {
        var pending = call(_ledger, argument, cancellationToken);
        if (pending.IsCompleted)
        {
            return pending.Result;
        }

        try
        {
            return await pending.AsTask().WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new AgentBillUnavailableException($"The budget store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s.", ex);
        }
    }

    private async ValueTask WithinTimeout<TArg>(Func<IBudgetLedger, TArg, CancellationToken, ValueTask> call, TArg argument, CancellationToken cancellationToken)
        => await WithinTimeout(
            static async (ledger, state, ct) =>
            {
                await state.call(ledger, state.argument, ct).ConfigureAwait(false);
                return true;
            },
            (call, argument),
            cancellationToken).ConfigureAwait(false);

    private void Observe(PreflightResult result, Activity? activity, long started)
    {
        var tags = new TagList
        {
            { "agentbill.agent_id", result.AgentId },
            { "agentbill.outcome", result.Approved ? "approved" : "refused" },
            { "agentbill.reason", TagValues.Of(result.Reason) },
        };
        _telemetry.Preflights.Add(1, tags);
        if (started != 0)
        {
            _telemetry.PreflightDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }

        if (result.Approved)
        {
            _telemetry.ReservedUnits.Add(result.EstimatedUnits, new KeyValuePair<string, object?>("agentbill.meter", TagValues.Of(result.Meter)));
        }
        else
        {
            Log.PreflightRefused(_logger, result.AgentId, result.Reason, result.EstimatedUnits, result.Meter, result.RemainingUnits);
        }

        activity?.SetTag("agentbill.approved", result.Approved);
        activity?.SetTag("agentbill.reason", TagValues.Of(result.Reason));
    }
}
