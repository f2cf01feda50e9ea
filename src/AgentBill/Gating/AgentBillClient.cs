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
    private readonly long[] _ceilings;
    private readonly AbandonedHolds _abandoned;
    private int _disposed;

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
        _ceilings = [.. Enum.GetValues<UsageMeter>().Select(meter => _options.Ceilings.TryGetValue(meter, out var ceiling) ? ceiling : long.MaxValue)];
        _telemetry = new AgentBillTelemetry(meterFactory);
        _alerts = new AlertDispatcher(alertHandlers ?? [], _options.OnBudgetAlert, _logger, _telemetry);
        _abandoned = new AbandonedHolds(
            (customer, id, ct) => WithinTimeout(static (ledger, c, ct) => ledger.ReleaseAsync(c, ct), new ReleaseCommand(customer, id, _time.GetUtcNow()), ct),
            _options,
            _time,
            _logger);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A store that answers at once (in memory) is served without an async state machine; a store that must be
    /// awaited continues in <see cref="PreflightPendingAsync"/>. Either way a failure arrives in the returned task.
    /// </remarks>
    public ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default)
        => Preflight(request, lease: false, cancellationToken);

    /// <summary>
    /// A preflight; for a <paramref name="lease"/> (<see cref="ReserveAsync"/>) an approval keeps what it holds under
    /// the context's <see cref="SpendingCeiling"/>s for the lease to give back, otherwise the ceilings are only checked.
    /// </summary>
    private ValueTask<PreflightResult> Preflight(PreflightRequest request, bool lease, CancellationToken cancellationToken)
    {
        Activity? activity = null;
        var heldUnderCeilings = false;
        try
        {
            ThrowIfDisposed();
            ArgumentNullException.ThrowIfNull(request);
            var ambient = AgentBillContext.Current;
            var meter = Guard.Defined(request.Meter, "meter");
            var preflight = new CheckedPreflight(
                Guard.Id(request.AgentId, "agentId"),
                Guard.Units(request.EstimatedUnits, "estimatedUnits"),
                Customer(request.CustomerId, ambient, lease ? nameof(ReserveAsync) : nameof(PreflightAsync), request.AgentId),
                Guard.OptionalId(request.TaskRef, "taskRef") ?? ambient?.TaskRef,
                meter,
                Tightest(_ceilings[(int)meter], Guard.OptionalUnits(request.Ceiling, "ceiling")),
                request.Ttl is { } requested ? Guard.Lifetime(requested, "ttl") : _options.ReservationTtl,
                Guard.OptionalId(request.IdempotencyKey, "idempotencyKey"),
                // Reading the clock costs a system call on some virtual machines: only when someone records durations.
                _telemetry.PreflightDuration.Enabled ? Stopwatch.GetTimestamp() : 0,
                ambient)
            {
                Lease = lease,
            };

            activity = AgentBillTelemetry.ActivitySource.StartActivity("agentbill.preflight");
            activity?.SetTag("agentbill.agent_id", preflight.AgentId);
            activity?.SetTag("agentbill.estimated_units", preflight.Units);

            var now = _time.GetUtcNow();
            if (preflight.Units > preflight.Ceiling)
            {
                // Decided here, without a store round trip: a run this large is refused whatever the budget says.
                return new(Conclude(preflight, new ReserveOutcome { Approved = false, Reason = RefusalReason.CeilingExceeded }, degraded: false, activity, now));
            }

            if (AgentBillContext.HasCeiling(ambient, meter))
            {
                // A run's own ceiling, kept in this process: held here first, so concurrent calls of one run cannot both pass it.
                if (AgentBillContext.HoldUnderCeilings(ambient, meter, preflight.Units) is { } refusing)
                {
                    return new(Conclude(preflight, RunCeilingRefusal(refusing, preflight.Units), degraded: false, activity, now));
                }

                heldUnderCeilings = true;
                preflight = preflight with { HeldUnderCeilings = true };
            }

            var command = new ReserveCommand(
                Call(preflight.CustomerId, preflight.AgentId, preflight.TaskRef, preflight.Meter, preflight.IdempotencyKey, now),
                UniqueIds.Next(),
                preflight.Units,
                now + preflight.Ttl);
            var reserving = Reserve(command, cancellationToken);
            if (reserving.IsCompletedSuccessfully)
            {
                return new(Conclude(preflight, reserving.Result, degraded: false, activity, now));
            }

            var pending = PreflightPendingAsync(preflight, reserving, activity, now);
            activity = null; // The pending preflight ends the activity.
            return pending;
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (heldUnderCeilings)
            {
                AgentBillContext.ReleaseUnderCeilings(AgentBillContext.Current, request.Meter, request.EstimatedUnits);
            }

            return ValueTask.FromException<PreflightResult>(ex);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>A refusal by a run's ceiling: what it has left, and whether holds in flight inside the run are in the way.</summary>
    private static ReserveOutcome RunCeilingRefusal(AgentBillContext refusing, long units)
    {
        var ceiling = refusing.Ceiling!;
        var remaining = refusing.CeilingRemaining ?? 0;
        var spent = refusing.Usage.Charged(ceiling.Meter);
        return new ReserveOutcome
        {
            Approved = false,
            Reason = RefusalReason.RunCeilingExceeded,
            RemainingUnits = remaining,
            Advice = BudgetRules.AdviseCeiling(ceiling.Limit, spent, Math.Max(0, ceiling.Limit - spent - remaining), units),
        };
    }

    /// <summary>
    /// Sends a hold to the store. One the client gives up on (no answer in time, a failure mid-call, the caller
    /// cancelling) may still land: it is released by its id in the background once the store answers.
    /// </summary>
    private ValueTask<ReserveOutcome> Reserve(ReserveCommand command, CancellationToken cancellationToken)
    {
        ValueTask<ReserveOutcome> pending;
        try
        {
            pending = _ledger.ReserveAsync(command, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task; nothing was sent, so nothing is left to release.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<ReserveOutcome>(ex);
        }

        return pending.IsCompleted ? pending : ReservePendingAsync(pending.AsTask(), command, cancellationToken);
    }

    private async ValueTask<ReserveOutcome> ReservePendingAsync(Task<ReserveOutcome> pending, ReserveCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or AgentBillUnavailableException)
        {
            _abandoned.Release(pending, command.Call.CustomerId, command.ReservationId);
            if (ex is TimeoutException timeout)
            {
                throw TimedOut(timeout);
            }

            throw;
        }
    }

    /// <summary>Finishes a preflight whose store call did not answer at once, or failed.</summary>
    private async ValueTask<PreflightResult> PreflightPendingAsync(CheckedPreflight preflight, ValueTask<ReserveOutcome> reserving, Activity? activity, DateTimeOffset now)
    {
        using (activity)
        {
            try
            {
                return Conclude(preflight, await reserving.ConfigureAwait(false), degraded: false, activity, now);
            }
            catch (AgentBillUnavailableException ex) when (_options.FailureMode == AgentBillFailureMode.FailOpen)
            {
                Log.FailedOpen(_logger, ex, preflight.AgentId);
                _telemetry.Degraded.Add(1, new KeyValuePair<string, object?>("agentbill.agent_id", preflight.AgentId));
                return Conclude(preflight, new ReserveOutcome { Approved = true }, degraded: true, activity, now);
            }
            catch when (preflight.HeldUnderCeilings)
            {
                AgentBillContext.ReleaseUnderCeilings(preflight.Context, preflight.Meter, preflight.Units);
                throw;
            }
        }
    }

    /// <summary>Turns the store's answer into the caller's result, and reports it.</summary>
    private PreflightResult Conclude(CheckedPreflight preflight, ReserveOutcome outcome, bool degraded, Activity? activity, DateTimeOffset now)
    {
        if (preflight.HeldUnderCeilings && !(outcome.Approved && preflight.Lease))
        {
            // Only a lease keeps what a run's ceiling holds: a refusal, or a bare preflight, gives it back at once.
            AgentBillContext.ReleaseUnderCeilings(preflight.Context, preflight.Meter, preflight.Units);
        }

        var advice = outcome.Approved ? default : outcome.Advice ?? Advise(outcome, preflight.Units, now);
        var result = new PreflightResult
        {
            Approved = outcome.Approved,
            Reason = outcome.Reason,
            EstimatedUnits = preflight.Units,
            RemainingUnits = outcome.RemainingUnits,
            RefusedBy = outcome.RefusedBy,
            ReservationId = outcome.ReservationId,
            ExpiresAt = outcome.ExpiresAt,
            UpgradeUrl = outcome.Approved ? null : _options.UpgradeUrl,
            Persistence = advice.Persistence,
            RetryAt = advice.RetryAt,
            RetryAfter = advice.RetryAt is { } retryAt ? Max(retryAt - now, TimeSpan.Zero) : null,
            IsDegraded = degraded,
            IsReplay = outcome.IsReplay,
            CustomerId = preflight.CustomerId,
            AgentId = preflight.AgentId,
            TaskRef = preflight.TaskRef,
            Meter = preflight.Meter,
        };
        Observe(result, activity, preflight.Started);
        if (!result.Approved)
        {
            AgentBillContext.ReportRefusal(preflight.Context);
        }

        return result;
    }

    /// <summary>Whether waiting helps a refusal: a ceiling never lets it through, a budget by <see cref="BudgetRules.Advise"/>.</summary>
    private RetryAdvice Advise(in ReserveOutcome outcome, long units, DateTimeOffset now)
        => outcome.Refusal is { } refusal
            ? BudgetRules.Advise(refusal, units, _calendar.BoundsAt(refusal.Period, now).End)
            : RetryAdvice.Permanent;

    private static TimeSpan Max(TimeSpan first, TimeSpan second) => first > second ? first : second;

    /// <inheritdoc />
    public ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default)
    {
        var preflight = Preflight(request, lease: true, cancellationToken);
        if (!preflight.IsCompletedSuccessfully)
        {
            return ReservePendingAsync(preflight, request);
        }

        try
        {
            return new(Lease(preflight.Result.EnsureApproved(), request));
        }
        catch (AgentBillRefusedException refusal)
        {
            return ValueTask.FromException<Reservation>(refusal);
        }
    }

    private async ValueTask<Reservation> ReservePendingAsync(ValueTask<PreflightResult> preflight, PreflightRequest request)
        => Lease((await preflight.ConfigureAwait(false)).EnsureApproved(), request);

    /// <summary>
    /// The handle of an approved hold; it keeps the request, whose ceiling its top-ups obey, and gives back what the
    /// preflight held under the context's ceilings when it closes.
    /// </summary>
    private ClientReservation Lease(PreflightResult approved, PreflightRequest request)
    {
        var reservation = new ClientReservation(this, approved, request);
        if (AgentBillContext.HasCeiling(reservation.Context, approved.Meter))
        {
            reservation.HeldUnderCeilings = approved.EstimatedUnits;
        }

        return reservation;
    }

    /// <summary>
    /// Whose budget a write pays from, the one place every integration's customer is settled: the customer the call
    /// names (a gate passes what its call or selector named) › the ambient context's › the default customer, unless
    /// <see cref="AgentBillOptions.RequireCustomer"/> refuses a call whose customer comes from nowhere.
    /// </summary>
    /// <exception cref="ArgumentException">The named customer is not a valid id.</exception>
    /// <exception cref="CustomerRequiredException">No customer anywhere and <see cref="AgentBillOptions.RequireCustomer"/> is on.</exception>
    private string Customer(string? requested, AgentBillContext? ambient, string operation, string? agentId = null)
        => Guard.OptionalId(requested, "customerId")
            ?? ambient?.CustomerId
            ?? (_options.RequireCustomer ? throw new CustomerRequiredException(operation, agentId) : _options.DefaultCustomerId);

    /// <summary>The tightest per-call ceiling of a meter and a call's own; <see cref="long.MaxValue"/> for none.</summary>
    internal long CeilingFor(UsageMeter meter, long? callCeiling) => Tightest(_ceilings[(int)meter], callCeiling);

    /// <inheritdoc />
    public ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
            ArgumentNullException.ThrowIfNull(request);
            var ambient = AgentBillContext.Current;
            var charge = new CheckedCharge(
                Guard.Id(request.AgentId, "agentId"),
                Guard.Units(request.Units, "units"),
                Customer(request.CustomerId, ambient, nameof(RecordAsync), request.AgentId),
                Guard.OptionalId(request.TaskRef, "taskRef") ?? ambient?.TaskRef,
                Guard.Defined(request.Meter, "meter"),
                Guard.OptionalId(request.ReservationId, "reservationId"),
                Guard.OptionalId(request.IdempotencyKey, "idempotencyKey"),
                request.Metadata,
                SettleOldestHold: true,
                FromLease: false)
            {
                Context = ambient,
            };
            return ChargeAsync(charge, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<RecordResult>(ex);
        }
    }

    /// <summary>Settles a reservation this client approved; its fields were validated by the preflight.</summary>
    internal ValueTask<RecordResult> CommitAsync(PreflightResult reservation, long actualUnits, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        Guard.Units(actualUnits);
        // A run approved degraded (fail-open) has no hold: its usage is charged directly, never against another call's hold.
        var charge = new CheckedCharge(
            reservation.AgentId, actualUnits, reservation.CustomerId, reservation.TaskRef, reservation.Meter, reservation.ReservationId,
            IdempotencyKey: null, Metadata: null, SettleOldestHold: false, FromLease: true);
        return ChargeAsync(charge, cancellationToken);
    }

    /// <summary>
    /// Charges usage. The first attempt is served without an async state machine when the store answers at once;
    /// a store that must be awaited, or cannot be reached, continues in <see cref="ChargePendingAsync"/>.
    /// </summary>
    private ValueTask<RecordResult> ChargeAsync(CheckedCharge charge, CancellationToken cancellationToken)
    {
        // One key per logical record, kept across every retry, so a retry that lands twice is a replay.
        // A settle of a named hold needs none: the store remembers settled holds and replays them.
        var callerKey = charge.IdempotencyKey is not null;
        charge = charge with { IdempotencyKey = charge.IdempotencyKey ?? (charge.ReservationId is null ? UniqueIds.Next() : null), CallerKey = callerKey };

        var activity = AgentBillTelemetry.ActivitySource.StartActivity("agentbill.record");
        try
        {
            if (activity is not null)
            {
                activity.SetTag("agentbill.agent_id", charge.AgentId);
                activity.SetTag("agentbill.units", charge.Units);
                foreach (var (key, value) in charge.Metadata ?? new Dictionary<string, string>())
                {
                    activity.SetTag("agentbill.metadata." + key, value);
                }
            }

            var charging = StartCharge(charge, cancellationToken);
            if (charging.IsCompletedSuccessfully)
            {
                return new(Conclude(charge, charging.Result));
            }

            var pending = ChargePendingAsync(charge, charging, activity, cancellationToken);
            activity = null; // The pending charge ends the activity.
            return pending;
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>Awaits a charge the store did not answer at once, retrying while the store cannot be reached.</summary>
    private async ValueTask<RecordResult> ChargePendingAsync(CheckedCharge charge, ValueTask<ChargeOutcome> charging, Activity? activity, CancellationToken cancellationToken)
    {
        using (activity)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return Conclude(charge, await charging.ConfigureAwait(false));
                }
                catch (AgentBillUnavailableException ex) when (attempt < _options.RecordAttempts)
                {
                    _telemetry.RecordRetries.Add(1);
                    Log.RecordRetrying(_logger, ex, charge.AgentId, attempt, _options.RecordAttempts);
                    await Task.Delay(Backoff(_options, attempt), _time, cancellationToken).ConfigureAwait(false);
                }
                catch (AgentBillUnavailableException ex)
                {
                    _telemetry.RecordFailures.Add(1);
                    Log.RecordFailed(_logger, ex, charge.AgentId, charge.Units, charge.Meter, attempt);
                    throw;
                }
                catch (AgentBillException ex) when (attempt > 1 && ex is not IdempotencyConflictException and not AgentBillRefusedException)
                {
                    // An earlier attempt did not answer: it may have landed, or may still land once the store runs it.
                    // A later attempt's refusal (a clock found skewed, say) speaks only for itself, so the record's
                    // outcome is unknown, which is what the caller is told, with how to settle it.
                    _telemetry.RecordFailures.Add(1);
                    Log.RecordFailed(_logger, ex, charge.AgentId, charge.Units, charge.Meter, attempt);
                    throw new AgentBillUnavailableException(
                        "The record's outcome is unknown: an earlier attempt got no answer and may have been charged, and the retry was refused (" + ex.Message + "). " +
                        "Record again with the same reservation id or idempotency key once the store accepts it: it is charged exactly once.",
                        ex);
                }

                charging = StartCharge(charge, cancellationToken);
            }
        }
    }

    /// <summary>Sends one attempt of a charge, stamped with the time it is sent.</summary>
    private ValueTask<ChargeOutcome> StartCharge(CheckedCharge charge, CancellationToken cancellationToken)
    {
        // A settle of a named hold, and a caller's key, are answerable for the whole window (a queue may redeliver
        // the record a day later); the client's own keys only need to outlive its retries.
        var command = new ChargeCommand(
            Call(charge.CustomerId, charge.AgentId, charge.TaskRef, charge.Meter, charge.IdempotencyKey, _time.GetUtcNow(), charge.CallerKey || charge.ReservationId is not null),
            charge.Units,
            charge.ReservationId,
            charge.SettleOldestHold);
        return WithinTimeout(static (ledger, c, ct) => ledger.ChargeAsync(c, ct), command, cancellationToken);
    }

    /// <summary>Turns the store's answer into the caller's result, and reports it.</summary>
    private RecordResult Conclude(CheckedCharge charge, ChargeOutcome outcome)
    {
        if (!outcome.IsReplay)
        {
            // A reservation handle reports its own commits (to the context the hold was made in); a record reports here.
            if (!charge.FromLease)
            {
                AgentBillContext.ReportCharge(charge.Context, charge.CustomerId, charge.Meter, charge.Units, settled: null);
            }

            var tags = new TagList { { "agentbill.agent_id", charge.AgentId }, { "agentbill.meter", TagValues.Of(charge.Meter) } };
            _telemetry.RecordedUnits.Add(charge.Units, tags);
            if (outcome.IsOverrun)
            {
                _telemetry.Overruns.Add(1, tags);
                Log.Overrun(_logger, charge.AgentId, charge.Units, charge.Meter);
            }

            if (outcome.IsSaturated)
            {
                Log.Saturated(_logger, charge.AgentId, charge.Units, charge.Meter);
            }
        }

        _alerts.Enqueue(outcome.Alerts);
        return new RecordResult
        {
            Units = outcome.Units,
            SettledReservationId = outcome.SettledReservationId,
            ReleasedUnits = outcome.ReleasedUnits,
            IsOverrun = outcome.IsOverrun,
            IsSaturated = outcome.IsSaturated,
            RemainingUnits = outcome.RemainingUnits,
            IsReplay = outcome.IsReplay,
        };
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        Guard.Id(reservationId);
        var customer = Customer(customerId, AgentBillContext.Current, nameof(ReleaseAsync));
        var command = new ReleaseCommand(customer, reservationId, _time.GetUtcNow());
        return await WithinTimeout(static (ledger, c, ct) => ledger.ReleaseAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        Guard.Id(reservationId);
        Guard.Units(units);
        var customer = Customer(customerId, AgentBillContext.Current, nameof(TopUpAsync));
        var lifetime = ttl is { } requested ? Guard.Lifetime(requested, nameof(ttl)) : _options.ReservationTtl;
        var now = _time.GetUtcNow();
        var command = new TopUpCommand(customer, reservationId, units, now, now + lifetime, _defaultBudgets);
        var outcome = await WithinTimeout(static (ledger, c, ct) => ledger.TopUpAsync(c, ct), command, cancellationToken).ConfigureAwait(false);
        var advice = outcome.Refusal is { } refusal
            ? BudgetRules.AdviseTopUp(refusal, units, outcome.HeldUnits, _calendar.BoundsAt(refusal.Period, now).End)
            : default;
        return new TopUpResult
        {
            Approved = outcome.Approved,
            Reason = outcome.Reason,
            Persistence = advice.Persistence,
            RetryAt = advice.RetryAt,
            HeldUnits = outcome.HeldUnits,
            RemainingUnits = outcome.RemainingUnits,
            RefusedBy = outcome.RefusedBy,
            ExpiresAt = outcome.ExpiresAt,
        };
    }

    /// <inheritdoc />
    public async ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        Guard.Id(reservationId);
        var customer = Customer(customerId, AgentBillContext.Current, nameof(ExtendAsync));
        var lifetime = ttl is { } requested ? Guard.Lifetime(requested, nameof(ttl)) : _options.ReservationTtl;
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
    {
        ThrowIfDisposed();
        return WithinTimeout(static (ledger, key, ct) => ledger.GetBudgetAsync(key, ct), Key(scope, meter), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return WithinTimeout(static (ledger, key, ct) => ledger.RemoveBudgetAsync(key, ct), Key(scope, meter), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var key = Key(scope, meter);
        Guard.Defined(period);
        var now = _time.GetUtcNow();
        var instant = at ?? now;
        var budget = await WithinTimeout(static (ledger, key, ct) => ledger.GetBudgetAsync(key, ct), key, cancellationToken).ConfigureAwait(false);
        var limit = budget is not null
            ? new BudgetLimit(budget.Limit, budget.Period)
            : scope.Kind == BudgetScopeKind.Customer ? DefaultBudgetFor(meter) : null;
        var kind = limit?.Period ?? period;
        var periodKey = _calendar.KeysAt(instant).For(kind);
        var usage = await WithinTimeout(static (ledger, read, ct) => ledger.GetUsageAsync(read.key, read.periodKey, read.now, ct), (key, periodKey, now), cancellationToken).ConfigureAwait(false);
        var (start, end) = _calendar.BoundsAt(kind, instant);
        // Open holds count in the period that approved them: a past period's holds still open are its own.
        return new BudgetUsage(key, kind, periodKey, start, end, limit?.Limit, usage.Used, usage.Reserved);
    }

    /// <inheritdoc />
    public async ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        var usage = await GetUsageAsync(scope, meter, cancellationToken: cancellationToken).ConfigureAwait(false);
        await WithinTimeout(static (ledger, reset, ct) => ledger.ResetUsageAsync(reset.Key, reset.PeriodKey, ct), usage, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var read = (customer: Guard.OptionalId(customerId) ?? _options.DefaultCustomerId, now: _time.GetUtcNow());
        return WithinTimeout(static (ledger, read, ct) => ledger.GetOpenHoldsAsync(read.customer, read.now, ct), read, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, OpenHoldPage.MaxLimit);
        var read = (customer: Guard.OptionalId(customerId) ?? _options.DefaultCustomerId, cursor, limit, now: _time.GetUtcNow());
        return WithinTimeout(static (ledger, read, ct) => ledger.GetOpenHoldsPageAsync(read.customer, read.cursor, read.limit, read.now, ct), read, cancellationToken);
    }

    /// <summary>Delivers the alerts already raised, then stops the alert loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _abandoned.Dispose();
        await _alerts.DisposeAsync().ConfigureAwait(false);
        _telemetry.Dispose();
    }

    /// <summary>Delivers the alerts already raised, blocking until they are, then stops the alert loop.</summary>
    /// <remarks>Prefer <see cref="DisposeAsync"/>; this exists for containers that dispose synchronously.</remarks>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal ILogger Logger => _logger;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    /// <summary>Twice the longest a record can spend in its attempts and backoffs: how long replays must be answerable.</summary>
    private static TimeSpan RetryWindow(AgentBillOptions options)
    {
        var longest = options.StoreTimeout * options.RecordAttempts;
        for (var attempt = 1; attempt < options.RecordAttempts; attempt++)
        {
            longest += Backoff(options, attempt);
        }

        return longest * 2;
    }

    /// <summary>The wait after a failed try: <see cref="AgentBillOptions.RecordRetryDelay"/>, doubling with each try, never above ten minutes.</summary>
    internal static TimeSpan Backoff(AgentBillOptions options, int attempt)
    {
        var delay = options.RecordRetryDelay * Math.Pow(2, Math.Min(attempt - 1, 20));
        return delay > Guard.MaxWait ? Guard.MaxWait : delay;
    }

    private static long Tightest(long first, long? second) => Math.Min(first, second ?? long.MaxValue);

    private static BudgetKey Key(BudgetScope scope, UsageMeter meter)
    {
        Guard.DefinedScope(scope);
        return new BudgetKey(scope, Guard.Defined(meter));
    }

    private BudgetLimit? DefaultBudgetFor(UsageMeter meter) => _defaultBudgets.GetValueOrDefault(meter);

    private LedgerCall Call(string customerId, string agentId, string? taskRef, UsageMeter meter, string? idempotencyKey, DateTimeOffset now, bool rememberForWindow = true) => new()
    {
        CustomerId = customerId,
        AgentId = agentId,
        TaskRef = taskRef,
        Meter = meter,
        Now = now,
        Periods = _calendar.KeysAt(now),
        Choices = _calendar.ChoicesAt(now),
        DefaultCustomerBudget = DefaultBudgetFor(meter),
        IdempotencyKey = idempotencyKey,
        // A caller's key and a settled hold are kept for the whole window; the client's own keys for unnamed records
        // only need to outlive its retries.
        RememberUntil = now + (rememberForWindow ? _options.IdempotencyWindow : _retryWindow),
        AlertThresholds = _thresholds,
    };

    /// <summary>
    /// Runs a store call, and counts it unreachable when it does not answer within <see cref="AgentBillOptions.StoreTimeout"/>.
    /// A call that completes synchronously (the in-memory store) is returned as it is, paying nothing for the
    /// timeout; a call that throws instead of returning a task fails the returned task, like an async method. The
    /// call is a static lambda given the ledger, so no delegate is allocated per call.
    /// </summary>
    private ValueTask<TResult> WithinTimeout<TArg, TResult>(Func<IBudgetLedger, TArg, CancellationToken, ValueTask<TResult>> call, TArg argument, CancellationToken cancellationToken)
    {
        ValueTask<TResult> pending;
        try
        {
            pending = call(_ledger, argument, cancellationToken);
        }
#pragma warning disable CA1031 // Not handled: handed to the caller in the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }

        return pending.IsCompleted ? pending : AwaitWithinTimeoutAsync(pending, cancellationToken);
    }

    private async ValueTask<TResult> AwaitWithinTimeoutAsync<TResult>(ValueTask<TResult> pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.AsTask().WaitAsync(_options.StoreTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw TimedOut(ex);
        }
    }

    private AgentBillUnavailableException TimedOut(TimeoutException timeout)
        => new($"The budget store did not answer within {_options.StoreTimeout.TotalSeconds:0.###} s.", timeout);

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

    /// <summary>A preflight's arguments, validated, and when it started (zero when nobody records durations).</summary>
    /// <remarks><see cref="Ceiling"/> is the tightest that applies (<see cref="long.MaxValue"/> for none); <see cref="Context"/> the ambient context the call was made in.</remarks>
    private readonly record struct CheckedPreflight(
        string AgentId, long Units, string CustomerId, string? TaskRef, UsageMeter Meter, long Ceiling, TimeSpan Ttl, string? IdempotencyKey, long Started, AgentBillContext? Context)
    {
        /// <summary>Gets whether it is a <see cref="ReserveAsync"/>, whose lease keeps what the run's ceilings hold.</summary>
        public bool Lease { get; init; }

        /// <summary>Gets whether the units are held under the context's ceilings until the store answers.</summary>
        public bool HeldUnderCeilings { get; init; }
    }

    /// <summary>
    /// A charge's arguments, validated; <see cref="CallerKey"/> tells whether the idempotency key is the caller's, and
    /// <c>FromLease</c> whether a reservation handle commits it (and reports it to its context itself).
    /// </summary>
    private readonly record struct CheckedCharge(
        string AgentId,
        long Units,
        string CustomerId,
        string? TaskRef,
        UsageMeter Meter,
        string? ReservationId,
        string? IdempotencyKey,
        IReadOnlyDictionary<string, string>? Metadata,
        bool SettleOldestHold,
        bool FromLease)
    {
        public bool CallerKey { get; init; }

        /// <summary>Gets the ambient context a record was made in, which it is reported to.</summary>
        public AgentBillContext? Context { get; init; }
    }
}
