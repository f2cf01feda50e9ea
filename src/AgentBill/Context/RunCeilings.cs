using AgentBill.Ledger;

namespace AgentBill;

/// <summary>
/// The rules of a run's <see cref="SpendingCeiling"/>s, kept in this process: every context of a chain with a ceiling on
/// a call's meter must leave room for what the call holds, all or none; a hold is taken before the store is asked (so
/// concurrent calls of one run cannot both pass a ceiling), kept while a lease is open, and given back when it closes
/// or the store refuses. The client's preflight, the lease's top-up and its close all go through here.
/// </summary>
internal static class RunCeilings
{
    /// <summary>Whether any context of the chain has a ceiling on a meter: only then is anything held under one.</summary>
    public static bool Apply(AgentBillContext? context, UsageMeter meter)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            if (at.Ceiling is { } ceiling && ceiling.Meter == meter)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Holds units under every ceiling of a meter in a context and the contexts it is nested in, all or none: each
    /// must leave room for them after what was charged inside it and what its open holds hold.
    /// </summary>
    /// <returns>The context whose ceiling refused, or <see langword="null"/> when every one holds the units.</returns>
    public static AgentBillContext? Hold(AgentBillContext? context, UsageMeter meter, long units)
    {
        for (var at = context; at is not null; at = at.Parent)
        {
            if (at.Ceiling is { } ceiling && ceiling.Meter == meter && !at.TryHoldUnderCeiling(units))
            {
                Release(context, meter, units, stopAt: at);
                return at;
            }
        }

        return null;
    }

    /// <summary>Gives back units held under the ceilings of a meter, from a context up to (not including) <paramref name="stopAt"/>.</summary>
    public static void Release(AgentBillContext? context, UsageMeter meter, long units, AgentBillContext? stopAt = null)
    {
        for (var at = context; at is not null && !ReferenceEquals(at, stopAt); at = at.Parent)
        {
            if (at.Ceiling is { } ceiling && ceiling.Meter == meter)
            {
                at.ReleaseUnderCeiling(units);
            }
        }
    }

    /// <summary>A preflight refused by a run's ceiling: what it has left, and whether holds in flight inside the run are in the way.</summary>
    public static ReserveOutcome Refusal(AgentBillContext refusing, long units)
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

    /// <summary>A top-up of <paramref name="reservation"/> refused by a run's ceiling; the hold is unchanged.</summary>
    public static TopUpResult TopUpRefusal(Reservation reservation, AgentBillContext refusing) => new()
    {
        Approved = false,
        Reason = RefusalReason.RunCeilingExceeded,
        Persistence = RefusalPersistence.Permanent,
        HeldUnits = reservation.HeldUnits,
        RemainingUnits = refusing.CeilingRemaining,
        ExpiresAt = reservation.ExpiresAt,
    };

    /// <summary>
    /// Finishes a top-up of a lease whose units were held under its context's ceilings (<see cref="Hold"/>) before the
    /// store was asked: they stay held only if the store grew the hold, and are given back if it refused or failed.
    /// </summary>
    public static async ValueTask<TopUpResult> KeepIfGrownAsync(Reservation reservation, long units, ValueTask<TopUpResult> growing)
    {
        TopUpResult result;
        try
        {
            result = await growing.ConfigureAwait(false);
        }
        catch
        {
            Release(reservation.Context, reservation.Result.Meter, units);
            throw;
        }

        if (result.Approved)
        {
            reservation.HeldUnderCeilings += units;
        }
        else
        {
            Release(reservation.Context, reservation.Result.Meter, units);
        }

        return result;
    }

    /// <summary>Hands what an approved preflight held under its context's ceilings to its lease, which keeps it until it closes.</summary>
    public static void HandTo(Reservation lease)
    {
        if (Apply(lease.Context, lease.Result.Meter))
        {
            lease.HeldUnderCeilings = lease.Result.EstimatedUnits;
        }
    }

    /// <summary>Gives back what a closed lease still holds under its context's ceilings.</summary>
    public static void GiveBack(Reservation reservation)
    {
        if (reservation.HeldUnderCeilings > 0)
        {
            Release(reservation.Context, reservation.Result.Meter, reservation.HeldUnderCeilings);
            reservation.HeldUnderCeilings = 0;
        }
    }
}
