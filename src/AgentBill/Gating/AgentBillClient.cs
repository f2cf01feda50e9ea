using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBill.Alerts;
using AgentBill.InMemory;
using AgentBill.Ledger;
using AgentBill.Telemetry;
using AgentBill.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tags = AgentBill.AgentBillDiagnostics.Tags;

namespace AgentBill;

/// <summary>
/// The budget gate over one ledger. Validates every argument before the store is touched, decides ceilings
/// without a round trip, computes periods and expiries from its <see cref="TimeProvider"/>, and turns store
/// outages into the configured failure mode.
/// </summary>
/// <remarks>
/// The client is the gate's hot path: preflight, reserve, record, commit, release, top-up and extend. Its other jobs
/// are types of their own: store resilience (timeouts, retries, fail-open, abandoned holds) is the
/// <see cref="ResilientBudgetLedger"/> it wraps its ledger in, a run's ceilings are <c>RunCeilings</c>, and the
/// <see cref="IAgentBillAdmin"/> members are forwarded to <c>AgentBillAdmin</c> over the same ledger.
/// </remarks>
public sealed class AgentBillClient : IAgentBill, IAgentBillAdmin, IAsyncDisposable, IDisposable
{
    private readonly ResilientBudgetLedger _ledger;
    private readonly AgentBillAdmin _admin;
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
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _calendar = new PeriodCalendar(_options.TimeZone);
        _thresholds = [.. _options.AlertThresholds.Distinct().Order()];
        _defaultBudgets = new Dictionary<UsageMeter, BudgetLimit>(_options.DefaultCustomerBudgets);
        _retryWindow = RetryBackoff.RetryWindow(_options);
        _ceilings = [.. Enum.GetValues<UsageMeter>().Select(meter => _options.Ceilings.TryGetValue(meter, out var ceiling) ? ceiling : long.MaxValue)];
        _telemetry = new AgentBillTelemetry(meterFactory);
        _alerts = new AlertDispatcher(alertHandlers ?? [], _options.OnBudgetAlert, _logger, _telemetry);
        // One resilience layer, on this client's options: a store handed over already wrapped is unwrapped first, so
        // attempts never multiply (three attempts of three attempts would be nine).
        var store = ledger is ResilientBudgetLedger wrapped ? wrapped.InnerLedger : ledger ?? new InMemoryBudgetLedger();
        _ledger = new ResilientBudgetLedger(store, _options, _time, _logger, _telemetry);
        _admin = new AgentBillAdmin(_ledger, _options.DefaultCustomerId, _defaultBudgets, _calendar, _time);
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

            activity = AgentBillTelemetry.ActivitySource.StartActivity(AgentBillDiagnostics.Activities.Preflight);
            activity?.SetTag(Tags.AgentId, preflight.AgentId);
            activity?.SetTag(Tags.EstimatedUnits, preflight.Units);

            var now = _time.GetUtcNow();
            if (preflight.Units > preflight.Ceiling)
            {
                // Decided here, without a store round trip: a run this large is refused whatever the budget says.
                return new(Conclude(preflight, new ReserveOutcome { Approved = false, Reason = RefusalReason.CeilingExceeded }, activity, now));
            }

            if (RunCeilings.Apply(ambient, meter))
            {
                // A run's own ceiling, kept in this process: held here first, so concurrent calls of one run cannot both pass it.
                if (RunCeilings.Hold(ambient, meter, preflight.Units) is { } refusing)
                {
                    return new(Conclude(preflight, RunCeilings.Refusal(refusing, preflight.Units), activity, now));
                }

                heldUnderCeilings = true;
                preflight = preflight with { HeldUnderCeilings = true };
            }

            var command = new ReserveCommand(
                Call(preflight.CustomerId, preflight.AgentId, preflight.TaskRef, preflight.Meter, preflight.IdempotencyKey, now),
                UniqueIds.Next(),
                preflight.Units,
                now + preflight.Ttl);
            // The resilience layer answers a store that answered at once without a state machine or a timer.
            var reserving = _ledger.ReserveAsync(command, cancellationToken);
            if (reserving.IsCompletedSuccessfully)
            {
                return new(Conclude(preflight, reserving.Result, activity, now));
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
                RunCeilings.Release(AgentBillContext.Current, request.Meter, request.EstimatedUnits);
            }

            return ValueTask.FromException<PreflightResult>(ex);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>Finishes a preflight whose store call did not answer at once, or failed.</summary>
    private async ValueTask<PreflightResult> PreflightPendingAsync(CheckedPreflight preflight, ValueTask<ReserveOutcome> reserving, Activity? activity, DateTimeOffset now)
    {
        using (activity)
        {
            try
            {
                // Fail-open is the resilience layer's decision: it answers a degraded approval (IsDegraded).
                return Conclude(preflight, await reserving.ConfigureAwait(false), activity, now);
            }
            catch when (preflight.HeldUnderCeilings)
            {
                RunCeilings.Release(preflight.Context, preflight.Meter, preflight.Units);
                throw;
            }
        }
    }

    /// <summary>Turns the store's answer into the caller's result, and reports it.</summary>
    private PreflightResult Conclude(CheckedPreflight preflight, ReserveOutcome outcome, Activity? activity, DateTimeOffset now)
    {
        if (preflight.HeldUnderCeilings && !(outcome.Approved && preflight.Lease))
        {
            // Only a lease keeps what a run's ceiling holds: a refusal, or a bare preflight, gives it back at once.
            RunCeilings.Release(preflight.Context, preflight.Meter, preflight.Units);
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
            IsDegraded = outcome.IsDegraded,
            IsReplay = outcome.IsReplay,
            CustomerId = preflight.CustomerId,
            AgentId = preflight.AgentId,
            TaskRef = preflight.TaskRef,
            Meter = preflight.Meter,
        };
        _telemetry.Preflighted(result, activity, preflight.Started, _logger);
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
        RunCeilings.HandTo(reservation);
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

        var activity = AgentBillTelemetry.ActivitySource.StartActivity(AgentBillDiagnostics.Activities.Record);
        try
        {
            if (activity is not null)
            {
                activity.SetTag(Tags.AgentId, charge.AgentId);
                activity.SetTag(Tags.Units, charge.Units);
                foreach (var (key, value) in charge.Metadata ?? new Dictionary<string, string>())
                {
                    activity.SetTag(Tags.MetadataPrefix + key, value);
                }
            }

            var charging = StartCharge(charge, cancellationToken);
            if (charging.IsCompletedSuccessfully)
            {
                return new(Conclude(charge, charging.Result));
            }

            var pending = ChargePendingAsync(charge, charging, activity);
            activity = null; // The pending charge ends the activity.
            return pending;
        }
        finally
        {
            activity?.Dispose();
        }
    }

    /// <summary>Awaits a charge the store did not answer at once; the resilience layer retries it while the store cannot be reached.</summary>
    private async ValueTask<RecordResult> ChargePendingAsync(CheckedCharge charge, ValueTask<ChargeOutcome> charging, Activity? activity)
    {
        using (activity)
        {
            return Conclude(charge, await charging.ConfigureAwait(false));
        }
    }

    /// <summary>Sends a charge, stamped with the time it is sent (the resilience layer stamps each retry anew).</summary>
    private ValueTask<ChargeOutcome> StartCharge(CheckedCharge charge, CancellationToken cancellationToken)
    {
        // A settle of a named hold, and a caller's key, are answerable for the whole window (a queue may redeliver
        // the record a day later); the client's own keys only need to outlive its retries.
        var command = new ChargeCommand(
            Call(charge.CustomerId, charge.AgentId, charge.TaskRef, charge.Meter, charge.IdempotencyKey, _time.GetUtcNow(), charge.CallerKey || charge.ReservationId is not null),
            charge.Units,
            charge.ReservationId,
            charge.SettleOldestHold);
        return _ledger.ChargeAsync(command, cancellationToken);
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

            _telemetry.Recorded(charge.AgentId, charge.Units, charge.Meter, outcome.IsOverrun, outcome.IsSaturated, _logger);
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
        return await _ledger.ReleaseAsync(command, cancellationToken).ConfigureAwait(false);
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
        var outcome = await _ledger.TopUpAsync(command, cancellationToken).ConfigureAwait(false);
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
        var extended = await _ledger.ExtendAsync(new ExtendCommand(customer, reservationId, now, expiresAt), cancellationToken).ConfigureAwait(false);
        return extended ? expiresAt : null;
    }

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken = default)
        => _admin.SetBudgetAsync(budget, cancellationToken);

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _admin.GetBudgetAsync(scope, meter, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _admin.RemoveBudgetAsync(scope, meter, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<BudgetUsage> GetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, DateTimeOffset? at = null, BudgetPeriod period = BudgetPeriod.Lifetime, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
        }
        catch (ObjectDisposedException ex)
        {
            return ValueTask.FromException<BudgetUsage>(ex);
        }

        return _admin.GetUsageAsync(scope, meter, at, period, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetScope scope, UsageMeter meter = UsageMeter.Units, CancellationToken cancellationToken = default)
    {
        try
        {
            ThrowIfDisposed();
        }
        catch (ObjectDisposedException ex)
        {
            return ValueTask.FromException(ex);
        }

        return _admin.ResetUsageAsync(scope, meter, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string? customerId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _admin.GetOpenHoldsAsync(customerId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string? customerId = null, string? cursor = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _admin.GetOpenHoldsPageAsync(customerId, cursor, limit, cancellationToken);
    }

    /// <summary>Delivers the alerts already raised, then stops the alert loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _ledger.Dispose();
        await _alerts.DisposeAsync().ConfigureAwait(false);
        _telemetry.Dispose();
    }

    /// <summary>Delivers the alerts already raised, blocking until they are, then stops the alert loop.</summary>
    /// <remarks>Prefer <see cref="DisposeAsync"/>; this exists for containers that dispose synchronously.</remarks>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    internal ILogger Logger => _logger;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private static long Tightest(long first, long? second) => Math.Min(first, second ?? long.MaxValue);

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
