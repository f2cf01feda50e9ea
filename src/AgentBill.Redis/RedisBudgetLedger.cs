using System.Diagnostics;
using System.Globalization;
using AgentBill.Ledger;
using AgentBill.Redis.Wire;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// The Redis store: one Lua function per operation (one Redis Functions library, Redis 7), every key of an
/// operation in the customer's hash slot, integers only, bounded work per call whatever a customer holds. Time is the
/// server's by default (<see cref="RedisLedgerOptions.Clock"/>). Every function checks the ledger's loss marker and refuses, with
/// <see cref="LedgerDataLostException"/>, once the data is known lost, until <see cref="AcknowledgeDataLossAsync"/>.
/// On a single server (or a primary with replicas) global budgets join the customer's call; on Redis Cluster they
/// cannot share its slot, so global budgets are refused there with <see cref="NotSupportedException"/>.
/// </summary>
public sealed partial class RedisBudgetLedger : IBudgetLedger, IBudgetLedgerReports
{
    private static readonly LedgerScript Reserve = LedgerLibrary.Ledger.Function("reserve");
    private static readonly LedgerScript TopUp = LedgerLibrary.Ledger.Function("topup");
    private static readonly LedgerScript Extend = LedgerLibrary.Ledger.Function("extend");
    private static readonly LedgerScript Charge = LedgerLibrary.Ledger.Function("charge");
    private static readonly LedgerScript Release = LedgerLibrary.Ledger.Function("release");
    private static readonly LedgerScript Usage = LedgerLibrary.Ledger.Function("usage");
    private static readonly LedgerScript Holds = LedgerLibrary.Ledger.Function("holds");
    private static readonly LedgerScript Admin = LedgerLibrary.Ledger.Function("admin");

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisTopology _topology;
    private readonly LedgerEpoch _epoch;
    private readonly string _serverClock;
    private readonly TimeSpan _maxSkew;
    private readonly string _maxSkewText;
    private readonly long _maxSkewMilliseconds;
    private readonly string _retention;
    private readonly bool _createOnFirstUse;
    private readonly TimeProvider _reportsTime;
    private WireChoices? _choices;
    private bool _probeClock = true;

    /// <summary>Creates the store over a connection.</summary>
    /// <param name="redis">The connection; the caller owns it.</param>
    /// <param name="options">The key prefix and clock; <see cref="RedisLedgerOptions.Configuration"/> is not used here.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public RedisBudgetLedger(IConnectionMultiplexer redis, RedisLedgerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisLedgerOptions();
        RedisLedgerOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _redis = redis;
        _keys = new RedisKeys(options.KeyPrefix);
        KeyPrefix = options.KeyPrefix;
        _topology = new RedisTopology(redis);
        _epoch = new LedgerEpoch(_keys, options.CreateLedgerOnFirstUse);
        _serverClock = options.Clock == RedisClock.Server ? "1" : "0";
        _maxSkew = options.MaxClockSkew;
        _maxSkewMilliseconds = (long)options.MaxClockSkew.TotalMilliseconds;
        _maxSkewText = Int(_maxSkewMilliseconds);
        _createOnFirstUse = options.CreateLedgerOnFirstUse;
        _reportsTime = options.TimeProvider ?? TimeProvider.System;
        _retention = Int((long)options.UsageRetention.TotalMilliseconds);
    }

    /// <summary>Gets the connection the store runs on (its caller owns it), for data kept beside the ledger, such as a server's API keys.</summary>
    public IConnectionMultiplexer Connection => _redis;

    /// <summary>Gets the prefix of every key the store writes (<see cref="RedisLedgerOptions.KeyPrefix"/>).</summary>
    public string KeyPrefix { get; private init; } = "agentbill";

    private IDatabase Database => _redis.GetDatabase();

    /// <inheritdoc />
    public async ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var a = new ScriptArguments((int)ReserveArg.HoldCap);
        PutCall(a, call, command.Units, LedgerFingerprint.Of(command));
        a[(int)ReserveArg.Id] = Wire(command.ReservationId);
        a[(int)ReserveArg.Ttl] = Millis(command.ExpiresAt - call.Now);
        a[(int)ReserveArg.HoldCap] = Int(BudgetRules.MaxOpenHoldsPerCustomer);
        var fields = await RunAsync(Reserve, call.CustomerId, call.Now, a).ConfigureAwait(false);
        return ReadReserve(fields, call.IdempotencyKey, call.CustomerId);
    }

    /// <inheritdoc />
    public async ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var meters = Enum.GetValues<UsageMeter>();
        var a = new ScriptArguments((int)TopUpArg.DefaultLimits + (2 * meters.Length) - 1);
        a[(int)TopUpArg.Id] = Wire(command.ReservationId);
        a[(int)TopUpArg.Units] = Int(command.Units);
        a[(int)TopUpArg.Ttl] = Millis(command.ExpiresAt - command.Now);
        foreach (var meter in meters)
        {
            var fallback = command.DefaultCustomerBudgets.GetValueOrDefault(meter);
            a[(int)TopUpArg.DefaultLimits + (2 * (int)meter)] = fallback is null ? string.Empty : Int(fallback.Limit);
            a[(int)TopUpArg.DefaultLimits + (2 * (int)meter) + 1] = Int((int)(fallback?.Period ?? 0));
        }

        var fields = await RunAsync(TopUp, command.CustomerId, command.Now, a).ConfigureAwait(false);
        return ReadReserve(fields, null, command.CustomerId);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var a = new ScriptArguments((int)ExtendArg.Ttl);
        a[(int)ExtendArg.Id] = Wire(command.ReservationId);
        a[(int)ExtendArg.Ttl] = Millis(command.ExpiresAt - command.Now);
        var fields = await RunAsync(Extend, command.CustomerId, command.Now, a).ConfigureAwait(false);
        return fields[(int)DoneReply.Done] == "1";
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var a = new ScriptArguments((int)ReleaseArg.Id);
        a[(int)ReleaseArg.Id] = Wire(command.ReservationId);
        var fields = await RunAsync(Release, command.CustomerId, command.Now, a).ConfigureAwait(false);
        return fields[(int)DoneReply.Done] == "1";
    }

    /// <inheritdoc />
    public async ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var a = new ScriptArguments((int)ChargeArg.SettleOldest);
        PutCall(a, call, command.Units, LedgerFingerprint.Of(command));
        a[(int)ChargeArg.Reservation] = Wire(command.ReservationId);
        a[(int)ChargeArg.Thresholds] = string.Join(',', call.AlertThresholds.Select(t => t.ToString(CultureInfo.InvariantCulture)));
        a[(int)ChargeArg.SettleOldest] = command.SettleOldestHold ? "1" : "0";
        var result = await RunAsync(Charge, call.CustomerId, call.Now, a).ConfigureAwait(false);

        switch (result[(int)ChargeReply.Units])
        {
            case ReplyStatus.Conflict:
                throw new IdempotencyConflictException(call.IdempotencyKey!);
            case ReplyStatus.ConflictSettle:
                throw new IdempotencyConflictException(command.ReservationId!);
            case ReplyStatus.Mismatch:
                var task = result[(int)MismatchReply.Task];
                throw BudgetRules.SettleMismatch(command.ReservationId!, (UsageMeter)int.Parse(result[(int)MismatchReply.Meter], CultureInfo.InvariantCulture), result[(int)MismatchReply.Agent], task.Length == 0 ? null : task);
        }

        var alerts = new List<BudgetAlert>();
        for (var at = (int)ChargeReply.Alerts; at + (int)AlertReply.Length <= result.Length; at += (int)AlertReply.Length)
        {
            alerts.Add(new BudgetAlert(
                RedisKeys.ParseBudgetKey(result[at + (int)AlertReply.Kind], result[at + (int)AlertReply.Meter], result[at + (int)AlertReply.Name], call.CustomerId),
                result[at + (int)AlertReply.Period],
                int.Parse(result[at + (int)AlertReply.Threshold], CultureInfo.InvariantCulture),
                Long(result[at + (int)AlertReply.Used]),
                Long(result[at + (int)AlertReply.Limit])));
        }

        return new ChargeOutcome
        {
            Units = Long(result[(int)ChargeReply.Units]),
            SettledReservationId = Optional(result[(int)ChargeReply.Settled]),
            ReleasedUnits = Long(result[(int)ChargeReply.Released]),
            IsOverrun = result[(int)ChargeReply.Overrun] == "1",
            RemainingUnits = OptionalLong(result[(int)ChargeReply.Remaining]),
            IsReplay = result[(int)ChargeReply.Replay] == "1",
            IsSaturated = result[(int)ChargeReply.Saturated] == "1",
            Alerts = alerts,
        };
    }

    /// <inheritdoc />
    public async ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        cancellationToken.ThrowIfCancellationRequested();
        await AdministerAsync(budget.Key, "set", RedisKeys.BudgetField(budget.Key), Int(budget.Limit) + RedisKeys.FieldSeparator + Int((int)budget.Period)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var book = BookOf(key);
        var value = await RedisFailures.GuardAsync(() => Database.HashGetAsync(book, Wire(RedisKeys.BudgetHashField(key)))).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }

        var parts = ((string)value!).Split(RedisKeys.FieldSeparator);
        return new Budget(key.Scope, key.Meter, Long(parts[0]), (BudgetPeriod)int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <inheritdoc />
    public async ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = await AdministerAsync(key, "remove", RedisKeys.BudgetField(key), string.Empty).ConfigureAwait(false);
        return fields[(int)AdminReply.Changed] == "1";
    }

    /// <inheritdoc />
    public async ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        var a = new ScriptArguments((int)UsageArg.Global);
        a[(int)UsageArg.Counter] = Wire(RedisKeys.CounterId(key, periodKey));
        a[(int)UsageArg.Global] = global ? "1" : "0";
        var result = await RunAsync(Usage, key.Scope.CustomerId, now, a).ConfigureAwait(false);
        return new LedgerUsage(Long(result[(int)UsageReply.Used]), Long(result[(int)UsageReply.Reserved]));
    }

    /// <inheritdoc />
    public async ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await AdministerAsync(key, "reset", RedisKeys.CounterId(key, periodKey), string.Empty).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Page by page: each script does bounded work, so a customer with many holds never stalls the server.
        var holds = new List<OpenHold>();
        string? cursor = null;
        do
        {
            var page = await GetOpenHoldsPageAsync(customerId, cursor, OpenHoldPage.MaxLimit, now, cancellationToken).ConfigureAwait(false);
            holds.AddRange(page.Holds);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return holds;
    }

    /// <inheritdoc />
    public async ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, OpenHoldPage.MaxLimit);
        cancellationToken.ThrowIfCancellationRequested();
        var a = new ScriptArguments((int)HoldsArg.Limit);
        a[(int)HoldsArg.After] = Wire(cursor);
        a[(int)HoldsArg.Limit] = Int(limit);
        var result = await RunAsync(Holds, customerId, now, a).ConfigureAwait(false);
        var holds = new List<OpenHold>((result.Length - (int)HoldsReply.Holds) / (int)HoldReply.Length);
        for (var at = (int)HoldsReply.Holds; at + (int)HoldReply.Length <= result.Length; at += (int)HoldReply.Length)
        {
            holds.Add(new OpenHold(
                result[at + (int)HoldReply.Id],
                customerId,
                result[at + (int)HoldReply.Agent],
                Optional(result[at + (int)HoldReply.Task]),
                (UsageMeter)int.Parse(result[at + (int)HoldReply.Meter], CultureInfo.InvariantCulture),
                Long(result[at + (int)HoldReply.Units]),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(result[at + (int)HoldReply.ExpiresAt]))));
        }

        return new OpenHoldPage(holds, Optional(result[(int)HoldsReply.Next]));
    }

    /// <summary>
    /// Creates the ledger, once, as a deployment step: writes its epoch key and, on Redis Cluster, every slot's loss
    /// marker. Needed when <see cref="RedisLedgerOptions.CreateLedgerOnFirstUse"/> is off; does nothing to a ledger
    /// that exists (it is read and adopted), so it can run on every deployment. Never use it to get past a loss: a
    /// ledger whose data was lost is acknowledged with <see cref="AcknowledgeDataLossAsync"/>, after budgets and usage
    /// are restored.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    /// <exception cref="LedgerDataLostException">The ledger exists and is known to have lost its data.</exception>
    /// <exception cref="AgentBillUnavailableException">Redis could not be reached.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = Database;
        var epoch = LedgerEpoch.New();
        var created = await RedisFailures.GuardAsync(() => database.StringSetAsync(_keys.Epoch, epoch, when: When.NotExists)).ConfigureAwait(false);
        if (created && _topology.IsCluster)
        {
            // Only for a ledger created here: a marker missing from an existing ledger's slot is a loss, not a gap.
            await RedisFailures.GuardAsync(() => Task.WhenAll(Enumerable.Range(0, RedisSlots.Count).Select(slot => database.StringSetAsync(_keys.Marker(slot), epoch, when: When.NotExists)))).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await RedisFailures.GuardAsync(async () => await _epoch.CurrentAsync(database).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Tells the ledger an operator knows its data was lost and has restored what must be restored (budgets, and
    /// usage that must still count): writes a new epoch to the epoch key and every slot's marker, so every process
    /// that meets it adopts it and operations run again. Until then every operation throws
    /// <see cref="LedgerDataLostException"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public async Task AcknowledgeDataLossAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = Database;
        var time = (RedisResult[])(await RedisFailures.GuardAsync(() => database.ExecuteAsync("TIME")).ConfigureAwait(false))!;
        var epoch = LedgerEpoch.Next((Long((string)time[0]!) * 1000) + (Long((string)time[1]!) / 1000));
        await RedisFailures.GuardAsync(() => database.StringSetAsync(_keys.Epoch, epoch)).ConfigureAwait(false);
        if (_topology.IsCluster)
        {
            // A marker in every slot: once an operator has spoken, a missing one can only mean a new loss.
            await RedisFailures.GuardAsync(() => Task.WhenAll(Enumerable.Range(0, RedisSlots.Count).Select(slot => database.StringSetAsync(_keys.Marker(slot), epoch)))).ConfigureAwait(false);
        }

        _epoch.Adopt(epoch);
    }

    private RedisKey BookOf(BudgetKey key)
    {
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        return global ? _keys.GlobalBook : _keys.Book(key.Scope.CustomerId!);
    }

    private void RequireGlobalSupport(bool global)
    {
        if (global && _topology.IsCluster)
        {
            throw new NotSupportedException(
                "Global budgets are not supported on Redis Cluster: a global budget would have to share a hash slot with every customer. Use customer, agent or task budgets, or a single Redis primary.");
        }
    }

    private async Task<string[]> AdministerAsync(BudgetKey key, string operation, string field, string value)
    {
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        var a = new ScriptArguments((int)AdminArg.Value);
        a[(int)AdminArg.Operation] = operation;
        a[(int)AdminArg.Global] = global ? "1" : "0";
        a[(int)AdminArg.Field] = Wire(field);
        a[(int)AdminArg.Value] = value;

        // Admin calls carry no time of their own, and admin.lua reads none.
        return await RunAsync(Admin, key.Scope.CustomerId, DateTimeOffset.UnixEpoch, a, adminCall: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a script over a customer's keys (the global sweeper's for the global scope), with the global keys when
    /// they can join, and turns the replies that stopped it (data lost, clock skew) into their exceptions.
    /// </summary>
    /// <remarks>
    /// Under the server's clock a client's skew is refused only where it is proven. The script refuses a client
    /// time ahead of the server's by more than the bound (a request runs after it was sent, so no delay explains
    /// it). A client behind cannot be told from a request that waited in a queue, so the client measures it: every
    /// reply carries the server's time S of the call, and with this process's clock at the reply, R, S − R past the
    /// bound proves its clock is behind (S was read before the reply arrived). Such a reply is still honoured — the
    /// operation ran under the server's clock — but the next calls first probe the server's <c>TIME</c> and are
    /// refused, before anything is sent, while the probe still proves the skew. The first call of a process probes too.
    /// </remarks>
    private async Task<string[]> RunAsync(LedgerScript script, string? customerId, DateTimeOffset now, ScriptArguments arguments, bool adminCall = false)
    {
        // The client's clock at a later moment is now plus the time elapsed since here: now was read just before.
        var started = Stopwatch.GetTimestamp();
        var database = Database;
        // An admin call carries no time, so it is never held to the skew bound.
        var checkClock = !adminCall && _serverClock == "1";
        if (checkClock && Volatile.Read(ref _probeClock))
        {
            await ProbeClockAsync(database, now, started).ConfigureAwait(false);
        }

        var withGlobal = !_topology.IsCluster;
        var tag = customerId is null ? null : RedisKeys.CustomerTag(customerId);
        var slot = withGlobal ? 0 : RedisSlots.SlotOf(RedisKeys.ScriptTag(tag));
        var keys = _keys.Script(tag, withGlobal ? _keys.Epoch : _keys.Marker(slot), withGlobal);
        arguments[(int)CommonArg.HasGlobal] = withGlobal ? "1" : "0";
        arguments[(int)CommonArg.ClientNow] = Int(now.ToUnixTimeMilliseconds());
        arguments[(int)CommonArg.ServerClock] = adminCall ? "0" : _serverClock;
        arguments[(int)CommonArg.MaxSkew] = _maxSkewText;
        arguments[(int)CommonArg.Tag] = tag ?? string.Empty;
        arguments[(int)CommonArg.Retention] = _retention;
        for (var attempt = 0; ; attempt++)
        {
            var epoch = await RedisFailures.GuardAsync(async () => await _epoch.CurrentAsync(database).ConfigureAwait(false)).ConfigureAwait(false);
            arguments[(int)CommonArg.Epoch] = epoch;
            arguments[(int)CommonArg.Seen] = withGlobal || !_createOnFirstUse || _epoch.HasSeen(slot) ? "1" : "0";
            var fields = Fields(await RedisFailures.GuardAsync(() => script.EvaluateAsync(database, keys, arguments.Values)).ConfigureAwait(false), out var serverNow);
            switch (fields[(int)GuardReply.Status])
            {
                case ReplyStatus.Stale when attempt == 0:
                    await RedisFailures.GuardAsync(async () => await _epoch.RefreshAsync(database).ConfigureAwait(false)).ConfigureAwait(false);
                    continue;
                case ReplyStatus.Stale or ReplyStatus.Lost:
                    throw RedisLoss.Lost();
                case ReplyStatus.Skew:
                    throw new ClockSkewException(now - DateTimeOffset.FromUnixTimeMilliseconds(Long(fields[(int)GuardReply.ServerNow])), _maxSkew);
            }

            if (!withGlobal)
            {
                _epoch.MarkSeen(slot);
            }

            if (checkClock && serverNow.Length != 0 && Long(serverNow) - (now + Stopwatch.GetElapsedTime(started)).ToUnixTimeMilliseconds() > _maxSkewMilliseconds)
            {
                // Proven behind (the server's time of the call is past this process's clock at the reply by more than
                // the bound): this answer stands, the next calls probe first.
                Volatile.Write(ref _probeClock, true);
            }

            return fields;
        }
    }

    /// <summary>
    /// One <c>TIME</c> round trip: throws <see cref="ClockSkewException"/> when it proves this process's clock further
    /// from the server's than the bound (behind: the server's time is past this clock at the reply; ahead: this clock
    /// at the send is past the server's time), and otherwise lets calls go without probing again.
    /// </summary>
    private async Task ProbeClockAsync(IDatabase database, DateTimeOffset now, long started)
    {
        var sent = now + Stopwatch.GetElapsedTime(started);
        var time = (RedisResult[])(await RedisFailures.GuardAsync(() => database.ExecuteAsync("TIME")).ConfigureAwait(false))!;
        var received = now + Stopwatch.GetElapsedTime(started);
        var server = DateTimeOffset.FromUnixTimeMilliseconds((Long((string)time[0]!) * 1000) + (Long((string)time[1]!) / 1000));
        if (server - received > _maxSkew)
        {
            throw new ClockSkewException(received - server, _maxSkew);
        }

        if (sent - server > _maxSkew)
        {
            throw new ClockSkewException(sent - server, _maxSkew);
        }

        Volatile.Write(ref _probeClock, false);
    }

    /// <summary>The arguments of a call that reserve and charge share (<see cref="CallArg"/>).</summary>
    private void PutCall(ScriptArguments arguments, in LedgerCall call, long units, in LedgerFingerprint fingerprint)
    {
        arguments[(int)CallArg.Agent] = Wire(call.AgentId);
        arguments[(int)CallArg.Task] = Wire(call.TaskRef);
        arguments[(int)CallArg.Meter] = Int((int)call.Meter);
        arguments[(int)CallArg.Units] = Int(units);
        var choices = ChoicesOf(call);
        arguments[(int)CallArg.Day] = choices.Day;
        arguments[(int)CallArg.Week] = choices.Week;
        arguments[(int)CallArg.Month] = choices.Month;
        arguments[(int)CallArg.DefaultLimit] = call.DefaultCustomerBudget is { } fallback ? Int(fallback.Limit) : string.Empty;
        arguments[(int)CallArg.DefaultPeriod] = Int((int)(call.DefaultCustomerBudget?.Period ?? 0));
        arguments[(int)CallArg.Key] = Wire(call.IdempotencyKey);
        arguments[(int)CallArg.Window] = Millis(call.RememberUntil - call.Now);
        arguments[(int)CallArg.Fingerprint] = Fingerprint(call, fingerprint);
    }

    /// <summary>
    /// A call's period candidates as the script reads them (<c>pick</c> in common.lua): per kind previous, current and
    /// next name and the current one's start and end in Unix ms. The client's calendar hands out one
    /// <see cref="PeriodChoices"/> per day, so their text is made once a day, not per call. A call without choices
    /// counts in its own periods whatever the time.
    /// </summary>
    private WireChoices ChoicesOf(in LedgerCall call)
    {
        var cached = Volatile.Read(ref _choices);
        if (call.Choices is { } choices)
        {
            if (!ReferenceEquals(cached?.Source, choices))
            {
                cached = new WireChoices(choices, Candidates(choices.Day), Candidates(choices.Week), Candidates(choices.Month));
                Volatile.Write(ref _choices, cached);
            }

            return cached;
        }

        return new WireChoices(null, Always(call.Periods.Day), Always(call.Periods.Week), Always(call.Periods.Month));

        static string Candidates(PeriodSpan span)
            => string.Join(RedisKeys.FieldSeparator, span.Previous, span.Current, span.Next, Int(span.Start.ToUnixTimeMilliseconds()), Int(span.End.ToUnixTimeMilliseconds()));

        static string Always(string name)
            => string.Join(RedisKeys.FieldSeparator, name, name, name, "0", Int(long.MaxValue / 2));
    }

    private static ReserveOutcome ReadReserve(string[] fields, string? idempotencyKey, string customerId)
    {
        if (fields[(int)ReserveReply.Approved] == ReplyStatus.Conflict)
        {
            throw new IdempotencyConflictException(idempotencyKey!);
        }

        BudgetRefusal? refusal = null;
        if (fields[(int)ReserveReply.Kind].Length != 0)
        {
            refusal = new BudgetRefusal(
                RedisKeys.ParseBudgetKey(fields[(int)ReserveReply.Kind], fields[(int)ReserveReply.Meter], fields[(int)ReserveReply.Name], customerId),
                PeriodKeys.KindOf(fields[(int)ReserveReply.Period]),
                Long(fields[(int)ReserveReply.Limit]),
                Long(fields[(int)ReserveReply.Used]),
                Long(fields[(int)ReserveReply.Reserved]),
                OptionalInstant(fields[(int)ReserveReply.EarliestExpiry]));
        }

        return new ReserveOutcome
        {
            Approved = fields[(int)ReserveReply.Approved] == "1",
            Reason = (RefusalReason)int.Parse(fields[(int)ReserveReply.Reason], CultureInfo.InvariantCulture),
            Refusal = refusal,
            RemainingUnits = OptionalLong(fields[(int)ReserveReply.Remaining]),
            ReservationId = Optional(fields[(int)ReserveReply.Id]),
            HeldUnits = Long(fields[(int)ReserveReply.Held]),
            ExpiresAt = OptionalInstant(fields[(int)ReserveReply.ExpiresAt]),
            IsReplay = fields[(int)ReserveReply.Replay] == "1",
        };
    }

    /// <summary>
    /// A script's answer: every field a string, ids decoded from the bytes they were stored as; the last field, the
    /// ledger's now of the call ('' when the guard stopped it first), apart.
    /// </summary>
    private static string[] Fields(RedisResult result, out string now)
    {
        var values = (RedisValue[])result!;
        now = (string?)values[^1] ?? string.Empty;
        var fields = new string[values.Length - 1];
        for (var i = 0; i < fields.Length; i++)
        {
            // Read in place: a copy of each field's bytes would be garbage the moment it is decoded.
            fields[i] = Wtf8.Decode(((ReadOnlyMemory<byte>)values[i]).Span);
        }

        return fields;
    }

    /// <summary>What a repeat must match to be a replay: sent when the call names a key or a hold, both remembered.</summary>
    private static RedisValue Fingerprint(in LedgerCall call, in LedgerFingerprint fingerprint)
        => call.IdempotencyKey is null && fingerprint.ReservationId is null ? RedisValue.EmptyString : RedisKeys.Wire(fingerprint.ToString());

    /// <summary>An optional id as the script reads it: the empty string for none (ids are never empty).</summary>
    private static RedisValue Wire(string? id) => id is null ? RedisValue.EmptyString : RedisKeys.Wire(id);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A duration as whole milliseconds, never negative (a time already past is now).</summary>
    private static string Millis(TimeSpan duration) => Int(Math.Max(0, (long)duration.TotalMilliseconds));

    private static long Long(string value) => long.Parse(value, CultureInfo.InvariantCulture);

    private static string? Optional(string field) => field.Length == 0 ? null : field;

    private static long? OptionalLong(string field) => field.Length == 0 ? null : Long(field);

    private static DateTimeOffset? OptionalInstant(string field) => field.Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(field));

    /// <summary>A call's period candidates on the wire, made from <see cref="Source"/>.</summary>
    private sealed record WireChoices(PeriodChoices? Source, string Day, string Week, string Month);
}
