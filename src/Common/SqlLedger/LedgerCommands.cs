using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>
/// The ledger's commands as the SQL stores run them, each inside the one transaction its store opened: the same
/// decisions (<see cref="BudgetRules"/>) on the same tables, whichever database keeps them. A store only opens the
/// transaction, commits it, and turns its database's failures into AgentBill's exceptions.
/// </summary>
internal static class LedgerCommands
{
    private const string PreflightKeyPrefix = "p:";
    private const string ChargeKeyPrefix = "c:";
    private const string SettleKeyPrefix = "s:";

    public static async ValueTask<ReserveOutcome> ReserveAsync(LedgerTransaction tx, ReserveCommand command)
    {
        var call = command.Call;
        var periods = tx.PeriodsOf(call);
        await tx.BeginAsync(call.CustomerId, BudgetRules.ScopesOf(call), periods, [call.IdempotencyKey is null ? null : PreflightKeyPrefix + call.IdempotencyKey], command.ReservationId, countsHolds: true).ConfigureAwait(false);
        var fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command).ToString();
        if (await ReplayedAsync(tx, call, PreflightKeyPrefix, fingerprint).ConfigureAwait(false) is { } replay)
        {
            return StoredAnswer.DecodeReserve(replay) with { IsReplay = true };
        }

        var global = await tx.GlobalBudgetAsync(call.Meter).ConfigureAwait(false);
        if (global is not null)
        {
            await tx.SweepGlobalAsync().ConfigureAwait(false);
        }

        var applicable = await tx.ResolveAsync(BudgetRules.ScopesOf(call), periods, call.DefaultCustomerBudget, global).ConfigureAwait(false);
        foreach (var entry in applicable)
        {
            var available = await tx.AvailableAsync(entry, periods).ConfigureAwait(false);
            if (!BudgetRules.Fits(available, command.Units))
            {
                var refusal = new ReserveOutcome
                {
                    Approved = false,
                    Reason = BudgetRules.ReasonFor(entry.Key),
                    Refusal = await RefusalAsync(tx, entry, call.CustomerId, periods).ConfigureAwait(false),
                    RemainingUnits = Math.Max(0, available),
                };
                tx.Refused(call.CustomerId, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
                Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(refusal));
                return refusal;
            }
        }

        // The cap on open holds, checked after the budgets, whose refusal says more (whether waiting helps).
        if (await tx.HoldCountAsync(call.CustomerId).ConfigureAwait(false) >= BudgetRules.MaxOpenHoldsPerCustomer)
        {
            var refusal = new ReserveOutcome { Approved = false, Reason = RefusalReason.TooManyOpenHolds };
            tx.Refused(call.CustomerId, call.AgentId, call.TaskRef, call.Meter, refusal, command.Units);
            Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(refusal));
            return refusal;
        }

        if (await tx.HoldIdInUseAsync(call.CustomerId, command.ReservationId).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A hold with id '{command.ReservationId}' is already open.");
        }

        var hold = await tx.OpenHoldAsync(call, periods, command.ReservationId, command.Units, tx.At(command.ExpiresAt), global is not null).ConfigureAwait(false);
        tx.Count("approved", call.CustomerId);
        var outcome = new ReserveOutcome
        {
            Approved = true,
            RemainingUnits = await RemainingAsync(tx, applicable, periods).ConfigureAwait(false),
            ReservationId = hold.Id,
            HeldUnits = hold.Units,
            ExpiresAt = hold.ExpiresAt,
        };
        Remember(tx, call, PreflightKeyPrefix, fingerprint, StoredAnswer.Encode(outcome));
        return outcome;
    }

    public static async ValueTask<ReserveOutcome> TopUpAsync(LedgerTransaction tx, TopUpCommand command)
    {
        await tx.BeginAsync(command.CustomerId).ConfigureAwait(false);
        if (await tx.FindHoldAsync(command.CustomerId, command.ReservationId).ConfigureAwait(false) is not { } hold)
        {
            return new ReserveOutcome { Approved = false, Reason = RefusalReason.ReservationNotOpen };
        }

        // The budgets that apply to the hold's scopes now, in the periods it was approved in; the global one only
        // when the hold holds a share of it.
        var global = hold.Global ? await tx.GlobalBudgetAsync(hold.Meter).ConfigureAwait(false) : null;
        if (hold.Global)
        {
            await tx.SweepGlobalAsync().ConfigureAwait(false);
        }

        var fallback = command.DefaultCustomerBudgets.GetValueOrDefault(hold.Meter);
        var applicable = await tx.ResolveAsync(hold.Scopes, hold.Periods, fallback, global).ConfigureAwait(false);
        foreach (var entry in applicable)
        {
            var available = await tx.AvailableAsync(entry, hold.Periods).ConfigureAwait(false);
            if (command.Units > available)
            {
                var refusal = new ReserveOutcome
                {
                    Approved = false,
                    Reason = BudgetRules.ReasonFor(entry.Key),
                    Refusal = await RefusalAsync(tx, entry, command.CustomerId, hold.Periods).ConfigureAwait(false),
                    RemainingUnits = Math.Max(0, available),
                    ReservationId = hold.Id,
                    HeldUnits = hold.Units,
                    ExpiresAt = hold.ExpiresAt,
                };
                tx.Refused(command.CustomerId, hold.Agent, hold.Task, hold.Meter, refusal, command.Units);
                return refusal;
            }
        }

        await tx.HoldOnScopesAsync(hold, command.Units).ConfigureAwait(false);
        hold.Units = BudgetRules.Add(hold.Units, command.Units);
        hold.Expires = Math.Max(hold.Expires, tx.At(command.ExpiresAt));
        tx.UpdateHold(hold);
        tx.Count("approved", command.CustomerId);
        return new ReserveOutcome
        {
            Approved = true,
            RemainingUnits = await RemainingAsync(tx, applicable, hold.Periods).ConfigureAwait(false),
            ReservationId = hold.Id,
            HeldUnits = hold.Units,
            ExpiresAt = hold.ExpiresAt,
        };
    }

    public static async ValueTask<bool> ExtendAsync(LedgerTransaction tx, ExtendCommand command)
    {
        await tx.BeginAsync(command.CustomerId).ConfigureAwait(false);
        if (await tx.FindHoldAsync(command.CustomerId, command.ReservationId).ConfigureAwait(false) is not { } hold)
        {
            return false;
        }

        var expires = tx.At(command.ExpiresAt);
        if (expires > hold.Expires)
        {
            hold.Expires = expires;
            tx.UpdateHold(hold);
        }

        return true;
    }

    public static async ValueTask<ChargeOutcome> ChargeAsync(LedgerTransaction tx, ChargeCommand command)
    {
        var call = command.Call;
        await tx.BeginAsync(
            call.CustomerId,
            BudgetRules.ScopesOf(call),
            tx.PeriodsOf(call),
            [call.IdempotencyKey is null ? null : ChargeKeyPrefix + call.IdempotencyKey, command.ReservationId is null ? null : SettleKeyPrefix + command.ReservationId],
            command.ReservationId,
            countsHolds: false).ConfigureAwait(false);
        var fingerprint = call.IdempotencyKey is null ? null : LedgerFingerprint.Of(command).ToString();
        if (await ReplayedAsync(tx, call, ChargeKeyPrefix, fingerprint).ConfigureAwait(false) is { } replay)
        {
            return StoredAnswer.DecodeCharge(replay) with { IsReplay = true };
        }

        HoldRow? hold = null;
        if (command.ReservationId is { } reservationId)
        {
            // An open hold first: a record that named an id before its hold existed can never decide what settling
            // that hold does. A hold already settled replays; neither open nor settled is charged directly, and remembered.
            if (await tx.FindHoldAsync(call.CustomerId, reservationId).ConfigureAwait(false) is { } open)
            {
                if (!BudgetRules.SettleAgrees(call, open.Meter, open.Agent, open.Task))
                {
                    throw BudgetRules.SettleMismatch(reservationId, open.Meter, open.Agent, open.Task);
                }

                hold = open;
            }
            else if (await tx.RecallAsync(call.CustomerId, SettleKeyPrefix + reservationId).ConfigureAwait(false) is { } settled)
            {
                return settled.Fingerprint == StoredAnswer.SettleFingerprint(command)
                    ? StoredAnswer.DecodeCharge(settled.Outcome) with { SettledReservationId = reservationId, IsReplay = true }
                    : throw new IdempotencyConflictException(reservationId);
            }
        }
        else if (command.SettleOldestHold)
        {
            hold = await tx.OldestHoldAsync(call.CustomerId, call.AgentId, call.Meter, call.TaskRef).ConfigureAwait(false);
        }

        var global = await tx.GlobalBudgetAsync(call.Meter).ConfigureAwait(false);
        if (hold is not null ? hold.Global : global is not null)
        {
            await tx.SweepGlobalAsync().ConfigureAwait(false);
        }

        // A settle counts in the periods its hold was approved in; a direct charge in the current ones.
        var periods = hold?.Periods ?? tx.PeriodsOf(call);
        var scopes = hold?.Scopes ?? BudgetRules.ScopesOf(call);
        var chargesGlobal = hold is not null ? hold.Global : global is not null;
        if (hold is not null)
        {
            tx.CloseHold(hold);
            await tx.HoldOnScopesAsync(hold, -hold.Units).ConfigureAwait(false);
        }
        else
        {
            await tx.PreloadAsync(scopes, periods).ConfigureAwait(false);
        }

        var saturated = await tx.ChargeAsync(ScopeKey.Of(scopes.Customer), periods, command.Units).ConfigureAwait(false);
        saturated |= await tx.ChargeAsync(ScopeKey.Of(scopes.Agent), periods, command.Units).ConfigureAwait(false);
        if (scopes.Task is { } task)
        {
            saturated |= await tx.ChargeAsync(ScopeKey.Of(task), periods, command.Units).ConfigureAwait(false);
        }

        if (chargesGlobal)
        {
            saturated |= await tx.ChargeAsync(ScopeKey.Global(scopes.Meter), periods, command.Units).ConfigureAwait(false);
        }

        var charged = await tx.ResolveAsync(scopes, periods, call.DefaultCustomerBudget, chargesGlobal ? global : null).ConfigureAwait(false);
        var overrun = false;
        foreach (var entry in charged)
        {
            overrun |= (await tx.CounterOfAsync(entry, periods).ConfigureAwait(false)).Used > entry.Limit;
        }

        var outcome = new ChargeOutcome
        {
            Units = command.Units,
            SettledReservationId = hold?.Id,
            ReleasedUnits = hold?.Units ?? 0,
            IsOverrun = overrun,
            IsSaturated = saturated,
            RemainingUnits = await RemainingAsync(tx, charged, periods).ConfigureAwait(false),
            Alerts = await AlertsAsync(tx, charged, periods, call.AlertThresholds).ConfigureAwait(false),
        };

        // Every settle of a named hold, by a handle or a record, is remembered for the whole window.
        if (command.ReservationId is { } settledId && call.RememberUntil > call.Now)
        {
            tx.Remember(call.CustomerId, SettleKeyPrefix + settledId, StoredAnswer.SettleFingerprint(command), StoredAnswer.Encode(outcome), tx.At(call.RememberUntil));
        }

        Remember(tx, call, ChargeKeyPrefix, fingerprint, StoredAnswer.Encode(outcome));
        return outcome;
    }

    public static async ValueTask<bool> ReleaseAsync(LedgerTransaction tx, ReleaseCommand command)
    {
        await tx.BeginAsync(command.CustomerId).ConfigureAwait(false);
        if (await tx.FindHoldAsync(command.CustomerId, command.ReservationId).ConfigureAwait(false) is not { } hold)
        {
            return false;
        }

        await tx.ReturnHoldAsync(hold).ConfigureAwait(false);
        return true;
    }

    public static async ValueTask<bool> SetBudgetAsync(LedgerTransaction tx, Budget budget)
    {
        var scope = ScopeKey.Of(budget.Key);
        if (scope.Kind != BudgetScopeKind.Global)
        {
            tx.TouchWithoutTime(scope.Customer);
        }

        tx.Session.Enqueue(
            "INSERT INTO agentbill_budgets (customer, kind, name, meter, limit_units, period) VALUES ($1, $2, $3, $4, $5, $6) " +
            "ON CONFLICT (customer, kind, name, meter) DO UPDATE SET limit_units = excluded.limit_units, period = excluded.period",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, budget.Limit, (int)budget.Period);
        return true;
    }

    public static ValueTask<Budget?> GetBudgetAsync(LedgerTransaction tx, BudgetKey key) => tx.GetBudgetAsync(key);

    public static async ValueTask<bool> RemoveBudgetAsync(LedgerTransaction tx, BudgetKey key)
    {
        var scope = ScopeKey.Of(key);
        return await tx.Session.ExecuteAsync(
            "DELETE FROM agentbill_budgets WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter).ConfigureAwait(false) > 0;
    }

    public static async ValueTask<LedgerUsage> GetUsageAsync(LedgerTransaction tx, (BudgetKey Key, string PeriodKey) read)
    {
        var scope = ScopeKey.Of(read.Key);
        if (scope.Kind == BudgetScopeKind.Global)
        {
            await tx.SweepGlobalAsync().ConfigureAwait(false);
        }
        else if (await tx.LockCustomerAsync(scope.Customer).ConfigureAwait(false))
        {
            await tx.ExpireCustomerAsync(scope.Customer).ConfigureAwait(false);
        }
        else
        {
            return default;
        }

        tx.Flush();
        var reader = await tx.Session.QueryAsync(
            "SELECT used, reserved FROM agentbill_usage WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period = $5",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, read.PeriodKey).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? new LedgerUsage(reader.GetInt64(0), reader.GetInt64(1)) : default;
    }

    public static async ValueTask<bool> ResetUsageAsync(LedgerTransaction tx, (BudgetKey Key, string PeriodKey) reset)
    {
        var scope = ScopeKey.Of(reset.Key);
        if (scope.Kind == BudgetScopeKind.Global)
        {
            tx.LockGlobal();
        }
        else if (!await tx.LockCustomerAsync(scope.Customer).ConfigureAwait(false))
        {
            return true;
        }

        tx.Session.Enqueue(
            "UPDATE agentbill_usage SET used = 0, alerted = 0 WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period = $5",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, reset.PeriodKey);
        return true;
    }

    public static async ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(LedgerTransaction tx, string customerId)
    {
        if (!await tx.LockCustomerAsync(customerId).ConfigureAwait(false))
        {
            return Array.Empty<OpenHold>();
        }

        await tx.ExpireCustomerAsync(customerId).ConfigureAwait(false);
        return (await tx.HoldsAsync(customerId, null, int.MaxValue).ConfigureAwait(false)).ConvertAll(hold => hold.ToOpenHold());
    }

    public static async ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(LedgerTransaction tx, (string CustomerId, string? Cursor, int Limit) page)
    {
        if (!await tx.LockCustomerAsync(page.CustomerId).ConfigureAwait(false))
        {
            return new OpenHoldPage([], null);
        }

        await tx.ExpireCustomerAsync(page.CustomerId).ConfigureAwait(false);
        var holds = (await tx.HoldsAsync(page.CustomerId, page.Cursor, page.Limit + 1).ConfigureAwait(false)).ConvertAll(hold => hold.ToOpenHold());
        if (holds.Count <= page.Limit)
        {
            return new OpenHoldPage(holds, null);
        }

        holds.RemoveAt(page.Limit);
        return new OpenHoldPage(holds, holds[^1].ReservationId);
    }

    private static async ValueTask<string?> ReplayedAsync(LedgerTransaction tx, LedgerCall call, string prefix, string? fingerprint)
    {
        if (call.IdempotencyKey is not { } key || await tx.RecallAsync(call.CustomerId, prefix + key).ConfigureAwait(false) is not { } entry)
        {
            return null;
        }

        return entry.Fingerprint == fingerprint ? entry.Outcome : throw new IdempotencyConflictException(key);
    }

    private static void Remember(LedgerTransaction tx, LedgerCall call, string prefix, string? fingerprint, string outcome)
    {
        if (call.IdempotencyKey is { } key && fingerprint is not null)
        {
            tx.Remember(call.CustomerId, prefix + key, fingerprint, outcome, tx.At(call.RememberUntil));
        }
    }

    /// <summary>The refusing budget as it stands, with the first hold that may free it.</summary>
    private static async ValueTask<BudgetRefusal> RefusalAsync(LedgerTransaction tx, Applicable entry, string customerId, PeriodKeys periods)
    {
        var counter = await tx.CounterOfAsync(entry, periods).ConfigureAwait(false);
        var earliest = await tx.EarliestExpiryAsync(customerId, entry.Key.Scope.Kind == BudgetScopeKind.Global).ConfigureAwait(false);
        return new BudgetRefusal(entry.Key, entry.Period, entry.Limit, counter.Used, counter.Reserved, earliest);
    }

    private static async ValueTask<long?> RemainingAsync(LedgerTransaction tx, List<Applicable> entries, PeriodKeys periods)
    {
        long? tightest = null;
        foreach (var entry in entries)
        {
            tightest = BudgetRules.Tightest(tightest, await tx.AvailableAsync(entry, periods).ConfigureAwait(false));
        }

        return tightest;
    }

    private static async ValueTask<IReadOnlyList<BudgetAlert>> AlertsAsync(LedgerTransaction tx, List<Applicable> charged, PeriodKeys periods, IReadOnlyList<int> thresholds)
    {
        List<BudgetAlert>? alerts = null;
        List<int>? crossed = null;
        foreach (var entry in charged)
        {
            var counter = await tx.CounterOfAsync(entry, periods).ConfigureAwait(false);
            crossed ??= new(3);
            crossed.Clear();
            var highest = BudgetRules.CrossThresholds(counter.Used, entry.Limit, counter.Alerted, thresholds, crossed);
            if (highest != counter.Alerted)
            {
                counter.Alerted = highest;
                counter.Dirty = true;
            }

            foreach (var threshold in crossed)
            {
                (alerts ??= []).Add(new BudgetAlert(entry.Key, entry.PeriodKey, threshold, counter.Used, entry.Limit));
            }
        }

        return alerts is null ? Array.Empty<BudgetAlert>() : alerts;
    }
}
