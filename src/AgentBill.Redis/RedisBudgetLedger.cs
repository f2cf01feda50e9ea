using System.Globalization;
using AgentBill.Ledger;
using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// The Redis store: one Lua script per operation, every key of an operation in the customer's hash slot, time
/// taken from each command (never the server's clock), integers only. On a single server (or a primary with
/// replicas) global budgets join the customer's script; on Redis Cluster they cannot share its slot, so
/// global budgets are refused there with <see cref="NotSupportedException"/>.
/// </summary>
public sealed class RedisBudgetLedger : IBudgetLedger
{
    private static readonly LedgerScript Reserve = LedgerScript.Load("reserve");
    private static readonly LedgerScript TopUp = LedgerScript.Load("topup");
    private static readonly LedgerScript Extend = LedgerScript.Load("extend");
    private static readonly LedgerScript Charge = LedgerScript.Load("charge");
    private static readonly LedgerScript Release = LedgerScript.Load("release");
    private static readonly LedgerScript Usage = LedgerScript.Load("usage");
    private static readonly LedgerScript Holds = LedgerScript.Load("holds");

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisTopology _topology;

    /// <summary>Creates the store over a connection.</summary>
    /// <param name="redis">The connection; the caller owns it.</param>
    /// <param name="options">The key prefix; <see cref="RedisLedgerOptions.Configuration"/> is not used here.</param>
    /// <exception cref="ArgumentException">The options are not valid.</exception>
    public RedisBudgetLedger(IConnectionMultiplexer redis, RedisLedgerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisLedgerOptions();
        RedisLedgerOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _redis = redis;
        _keys = new RedisKeys(options.KeyPrefix);
        _topology = new RedisTopology(redis);
    }

    private IDatabase Database => _redis.GetDatabase();

    /// <inheritdoc />
    public async ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var result = await RunAsync(Reserve, call.CustomerId, call.Now,
        [
            Wire(call.AgentId), Wire(call.TaskRef), Int((int)call.Meter), Int(command.Units), Wire(command.ReservationId), Millis(command.ExpiresAt),
            call.Periods.Day, call.Periods.Week, call.Periods.Month,
            call.DefaultCustomerBudget is { } fallback ? Int(fallback.Limit) : string.Empty, Int((int)(call.DefaultCustomerBudget?.Period ?? 0)),
            Wire(call.IdempotencyKey), Millis(call.RememberUntil), Fingerprint(call, LedgerFingerprint.Of(command)),
        ]).ConfigureAwait(false);
        return ReadReserve(result, call.IdempotencyKey, call.CustomerId);
    }

    /// <inheritdoc />
    public async ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var values = new List<RedisValue> { Wire(command.ReservationId), Int(command.Units), Millis(command.ExpiresAt) };
        foreach (var meter in Enum.GetValues<UsageMeter>())
        {
            var fallback = command.DefaultCustomerBudgets.GetValueOrDefault(meter);
            values.Add(fallback is null ? string.Empty : Int(fallback.Limit));
            values.Add(Int((int)(fallback?.Period ?? 0)));
        }

        var result = await RunAsync(TopUp, command.CustomerId, command.Now, [.. values]).ConfigureAwait(false);
        return ReadReserve(result, null, command.CustomerId);
    }

    /// <inheritdoc />
    public async ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await RunAsync(Extend, command.CustomerId, command.Now, [Wire(command.ReservationId), Millis(command.ExpiresAt)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = await RunAsync(Release, command.CustomerId, command.Now, [Wire(command.ReservationId)]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <inheritdoc />
    public async ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var call = command.Call;
        var result = Fields(await RunAsync(Charge, call.CustomerId, call.Now,
        [
            Wire(call.AgentId), Wire(call.TaskRef), Int((int)call.Meter), Int(command.Units), Wire(command.ReservationId),
            call.Periods.Day, call.Periods.Week, call.Periods.Month,
            call.DefaultCustomerBudget is { } fallback ? Int(fallback.Limit) : string.Empty, Int((int)(call.DefaultCustomerBudget?.Period ?? 0)),
            Wire(call.IdempotencyKey), Millis(call.RememberUntil), Fingerprint(call, LedgerFingerprint.Of(command)),
            string.Join(',', call.AlertThresholds.Select(t => t.ToString(CultureInfo.InvariantCulture))),
            command.SettleOldestHold ? "1" : "0",
        ]).ConfigureAwait(false));

        switch (result[0])
        {
            case "conflict":
                throw new IdempotencyConflictException(call.IdempotencyKey!);
            case "conflict-settle":
                throw new IdempotencyConflictException(command.ReservationId!);
            case "mismatch":
                throw BudgetRules.SettleMismatch(command.ReservationId!, (UsageMeter)int.Parse(result[1], CultureInfo.InvariantCulture), result[2], result[3].Length == 0 ? null : result[3]);
        }

        var alerts = new List<BudgetAlert>();
        for (var at = 8; at + 6 < result.Length; at += 7)
        {
            alerts.Add(new BudgetAlert(
                RedisKeys.ParseBudgetKey(result[at], result[at + 1], result[at + 2], call.CustomerId),
                result[at + 3],
                int.Parse(result[at + 4], CultureInfo.InvariantCulture),
                Long(result[at + 5]),
                Long(result[at + 6])));
        }

        return new ChargeOutcome
        {
            Units = Long(result[0]),
            SettledReservationId = result[1].Length == 0 ? null : result[1],
            ReleasedUnits = Long(result[2]),
            IsOverrun = result[3] == "1",
            RemainingUnits = result[4].Length == 0 ? null : Long(result[4]),
            IsReplay = result[5] == "1",
            IsSaturated = result[6] == "1",
            Alerts = alerts,
        };
    }

    /// <inheritdoc />
    public async ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        cancellationToken.ThrowIfCancellationRequested();
        var value = Int(budget.Limit) + RedisKeys.FieldSeparator + Int((int)budget.Period);
        var key = BudgetsKey(budget.Key);
        await RedisFailures.GuardAsync(() => Database.HashSetAsync(key, Wire(RedisKeys.BudgetField(budget.Key)), value)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var budgets = BudgetsKey(key);
        var value = await RedisFailures.GuardAsync(() => Database.HashGetAsync(budgets, Wire(RedisKeys.BudgetField(key)))).ConfigureAwait(false);
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
        var budgets = BudgetsKey(key);
        return await RedisFailures.GuardAsync(() => Database.HashDeleteAsync(budgets, Wire(RedisKeys.BudgetField(key)))).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        var result = Fields(await RunAsync(Usage, key.Scope.CustomerId, now, [Wire(RedisKeys.CounterId(key, periodKey)), global ? "1" : "0"]).ConfigureAwait(false));
        return new LedgerUsage(Long(result[0]), Long(result[1]));
    }

    /// <inheritdoc />
    public async ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        var counters = global ? _keys.Global[1] : _keys.Counters(key.Scope.CustomerId!);
        var id = RedisKeys.CounterId(key, periodKey);
        HashEntry[] zeroes = [new(Wire(RedisKeys.CounterField('u', id)), 0), new(Wire(RedisKeys.CounterField('a', id)), 0)];
        await RedisFailures.GuardAsync(() => Database.HashSetAsync(counters, zeroes)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = Fields(await RunAsync(Holds, customerId, now, []).ConfigureAwait(false));
        var holds = new List<OpenHold>(result.Length / 6);
        for (var at = 0; at + 5 < result.Length; at += 6)
        {
            holds.Add(new OpenHold(
                result[at],
                customerId,
                result[at + 1],
                result[at + 2].Length == 0 ? null : result[at + 2],
                (UsageMeter)int.Parse(result[at + 3], CultureInfo.InvariantCulture),
                Long(result[at + 4]),
                DateTimeOffset.FromUnixTimeMilliseconds(Long(result[at + 5]))));
        }

        return holds;
    }

    private RedisKey BudgetsKey(BudgetKey key)
    {
        var global = key.Scope.Kind == BudgetScopeKind.Global;
        RequireGlobalSupport(global);
        return global ? _keys.Global[0] : _keys.Budgets(key.Scope.CustomerId!);
    }

    private void RequireGlobalSupport(bool global)
    {
        if (global && _topology.IsCluster)
        {
            throw new NotSupportedException(
                "Global budgets are not supported on Redis Cluster: a global budget would have to share a hash slot with every customer. Use customer, agent or task budgets, or a single Redis primary.");
        }
    }

    /// <summary>Runs a script over a customer's keys (the global sweeper's for the global scope), with the global keys when they can join.</summary>
    private async Task<RedisResult> RunAsync(LedgerScript script, string? customerId, DateTimeOffset now, RedisValue[] arguments)
    {
        var withGlobal = !_topology.IsCluster;
        var tag = customerId is null ? null : RedisKeys.CustomerTag(customerId);
        var keys = _keys.Script(tag, withGlobal);
        RedisValue[] values = [withGlobal ? "1" : "0", Millis(now), tag ?? string.Empty, .. arguments];
        return await RedisFailures.GuardAsync(() => script.EvaluateAsync(Database, keys, values)).ConfigureAwait(false);
    }

    private static ReserveOutcome ReadReserve(RedisResult result, string? idempotencyKey, string customerId)
    {
        var fields = Fields(result);
        if (fields[0] == "conflict")
        {
            throw new IdempotencyConflictException(idempotencyKey!);
        }

        BudgetRefusal? refusal = null;
        if (fields[2].Length != 0)
        {
            refusal = new BudgetRefusal(
                RedisKeys.ParseBudgetKey(fields[2], fields[3], fields[4], customerId),
                PeriodKeys.KindOf(fields[10]),
                Long(fields[11]),
                Long(fields[12]),
                Long(fields[13]),
                fields[14].Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(fields[14])));
        }

        return new ReserveOutcome
        {
            Approved = fields[0] == "1",
            Reason = (RefusalReason)int.Parse(fields[1], CultureInfo.InvariantCulture),
            Refusal = refusal,
            RemainingUnits = fields[5].Length == 0 ? null : Long(fields[5]),
            ReservationId = fields[6].Length == 0 ? null : fields[6],
            HeldUnits = Long(fields[7]),
            ExpiresAt = fields[8].Length == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(Long(fields[8])),
            IsReplay = fields[9] == "1",
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

    /// <summary>What makes two requests under one idempotency key the same request.</summary>
    /// <summary>What a repeat must match to be a replay: sent when the call names a key or a hold, both remembered.</summary>
    private static RedisValue Fingerprint(in LedgerCall call, in LedgerFingerprint fingerprint)
        => call.IdempotencyKey is null && fingerprint.ReservationId is null ? RedisValue.EmptyString : RedisKeys.Wire(fingerprint.ToString());

    /// <summary>An optional id as the script reads it: the empty string for none (ids are never empty).</summary>
    private static RedisValue Wire(string? id) => id is null ? RedisValue.EmptyString : RedisKeys.Wire(id);

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Millis(DateTimeOffset instant) => Int(instant.ToUnixTimeMilliseconds());

    private static long Long(string value) => long.Parse(value, CultureInfo.InvariantCulture);
}
