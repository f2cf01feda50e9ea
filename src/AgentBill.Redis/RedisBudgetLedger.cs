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
public sealed class RedisBudgetLedger : IBudgetLedger
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
    private readonly string _retention;

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
        _topology = new RedisTopology(redis);
        _epoch = new LedgerEpoch(_keys);
        _serverClock = options.Clock == RedisClock.Server ? "1" : "0";
        _maxSkew = options.MaxClockSkew;
        _maxSkewText = Int((long)options.MaxClockSkew.TotalMilliseconds);
        _retention = Int((long)options.UsageRetention.TotalMilliseconds);
    }

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
            case "conflict":
                throw new IdempotencyConflictException(call.IdempotencyKey!);
            case "conflict-settle":
                throw new IdempotencyConflictException(command.ReservationId!);
            case "mismatch":
                var task = result[(int)ChargeReply.Overrun];
                throw BudgetRules.SettleMismatch(command.ReservationId!, (UsageMeter)int.Parse(result[(int)ChargeReply.Settled], CultureInfo.InvariantCulture), result[(int)ChargeReply.Released], task.Length == 0 ? null : task);
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
    private async Task<string[]> RunAsync(LedgerScript script, string? customerId, DateTimeOffset now, ScriptArguments arguments, bool adminCall = false)
    {
        var database = Database;
        var withGlobal = !_topology.IsCluster;
        var tag = customerId is null ? null : RedisKeys.CustomerTag(customerId);
        var slot = withGlobal ? 0 : RedisSlots.SlotOf(RedisKeys.ScriptTag(tag));
        var keys = _keys.Script(tag, withGlobal ? _keys.Epoch : _keys.Marker(slot), withGlobal);
        arguments[(int)CommonArg.HasGlobal] = withGlobal ? "1" : "0";
        arguments[(int)CommonArg.ClientNow] = Int(now.ToUnixTimeMilliseconds());
        // An admin call carries no time, so it is never held to the skew bound.
        arguments[(int)CommonArg.ServerClock] = adminCall ? "0" : _serverClock;
        arguments[(int)CommonArg.MaxSkew] = _maxSkewText;
        arguments[(int)CommonArg.Tag] = tag ?? string.Empty;
        arguments[(int)CommonArg.Retention] = _retention;
        for (var attempt = 0; ; attempt++)
        {
            var epoch = await RedisFailures.GuardAsync(async () => await _epoch.CurrentAsync(database).ConfigureAwait(false)).ConfigureAwait(false);
            arguments[(int)CommonArg.Epoch] = epoch;
            arguments[(int)CommonArg.Seen] = withGlobal || _epoch.HasSeen(slot) ? "1" : "0";
            var fields = Fields(await RedisFailures.GuardAsync(() => script.EvaluateAsync(database, keys, arguments.Values)).ConfigureAwait(false));
            switch (fields[(int)GuardReply.Status])
            {
                case "stale" when attempt == 0:
                    await RedisFailures.GuardAsync(async () => await _epoch.RefreshAsync(database).ConfigureAwait(false)).ConfigureAwait(false);
                    continue;
                case "stale" or "lost":
                    throw new LedgerDataLostException();
                case "skew":
                    throw new ClockSkewException(now - DateTimeOffset.FromUnixTimeMilliseconds(Long(fields[(int)GuardReply.ServerNow])), _maxSkew);
            }

            if (!withGlobal)
            {
                _epoch.MarkSeen(slot);
            }

            return fields;
        }
    }

    /// <summary>The arguments of a call that reserve and charge share (<see cref="CallArg"/>).</summary>
    private static void PutCall(ScriptArguments arguments, in LedgerCall call, long units, in LedgerFingerprint fingerprint)
    {
        arguments[(int)CallArg.Agent] = Wire(call.AgentId);
        arguments[(int)CallArg.Task] = Wire(call.TaskRef);
        arguments[(int)CallArg.Meter] = Int((int)call.Meter);
        arguments[(int)CallArg.Units] = Int(units);
        arguments[(int)CallArg.Day] = call.Periods.Day;
        arguments[(int)CallArg.Week] = call.Periods.Week;
        arguments[(int)CallArg.Month] = call.Periods.Month;
        arguments[(int)CallArg.DefaultLimit] = call.DefaultCustomerBudget is { } fallback ? Int(fallback.Limit) : string.Empty;
        arguments[(int)CallArg.DefaultPeriod] = Int((int)(call.DefaultCustomerBudget?.Period ?? 0));
        arguments[(int)CallArg.Key] = Wire(call.IdempotencyKey);
        arguments[(int)CallArg.Window] = Millis(call.RememberUntil - call.Now);
        arguments[(int)CallArg.Fingerprint] = Fingerprint(call, fingerprint);
    }

    private static ReserveOutcome ReadReserve(string[] fields, string? idempotencyKey, string customerId)
    {
        if (fields[(int)ReserveReply.Approved] == "conflict")
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

    /// <summary>A script's answer: every field a string, ids decoded from the bytes they were stored as.</summary>
    private static string[] Fields(RedisResult result)
    {
        var values = (RedisValue[])result!;
        var fields = new string[values.Length];
        for (var i = 0; i < values.Length; i++)
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
}
