namespace AgentBill.Ledger;

/// <summary>
/// The rules that decide a hold, written once for every C# store: which budgets apply to a call, what limit each
/// has, whether a budget can hold an amount, why it refuses, what is left, which alert thresholds a charge
/// crosses, how sums stay exact, and whether waiting would help a refused call. A store only keeps the numbers
/// and applies these rules to them inside its own atomic step. (The Redis store's Lua scripts are the one
/// deliberate second implementation; the conformance suite keeps the two in agreement.)
/// </summary>
public static class BudgetRules
{
    /// <summary>
    /// The largest total any counter keeps: 2^53 − 1, the largest integer a Lua number holds exactly. Sums
    /// saturate here instead of wrapping, the same way in every store, and a saturated budget refuses everything.
    /// </summary>
    public const long MaxTotal = (1L << 53) - 1;

    /// <summary>
    /// The most holds one customer may have open at once, in every store: a reserve past it is refused with
    /// <see cref="RefusalReason.TooManyOpenHolds"/>. Far above what concurrent runs need, low enough that what one
    /// customer holds stays bounded.
    /// </summary>
    public const int MaxOpenHoldsPerCustomer = 100_000;

    /// <summary>Adds a non-negative amount to a total, saturating at <see cref="MaxTotal"/>.</summary>
    /// <param name="total">A total between 0 and <see cref="MaxTotal"/>.</param>
    /// <param name="amount">A non-negative amount.</param>
    public static long Add(long total, long amount) => amount > MaxTotal - total ? MaxTotal : total + amount;

    /// <summary>Takes an amount a total once received back from it, never going below zero.</summary>
    /// <param name="total">The total.</param>
    /// <param name="amount">The amount to take back.</param>
    public static long Subtract(long total, long amount) => amount >= total ? 0 : total - amount;

    /// <summary>Whether a record that names an open hold agrees with it: the same meter, agent and task.</summary>
    /// <param name="call">The record.</param>
    /// <param name="heldMeter">The hold's meter.</param>
    /// <param name="heldAgent">The hold's agent.</param>
    /// <param name="heldTask">The hold's task, or <see langword="null"/>.</param>
    public static bool SettleAgrees(in LedgerCall call, UsageMeter heldMeter, string heldAgent, string? heldTask)
        => call.Meter == heldMeter && string.Equals(call.AgentId, heldAgent, StringComparison.Ordinal) && string.Equals(call.TaskRef, heldTask, StringComparison.Ordinal);

    /// <summary>The refusal of a record that names an open hold but not its meter, agent or task: a caller bug, nothing is charged.</summary>
    /// <param name="reservationId">The named hold.</param>
    /// <param name="heldMeter">The hold's meter.</param>
    /// <param name="heldAgent">The hold's agent.</param>
    /// <param name="heldTask">The hold's task, or <see langword="null"/>.</param>
#pragma warning disable CA2208 // The argument at fault is the caller's record request, not a parameter of this factory.
    public static ArgumentException SettleMismatch(string reservationId, UsageMeter heldMeter, string heldAgent, string? heldTask)
        => new(
            $"The record names reservation '{reservationId}', which holds {heldMeter} for agent '{heldAgent}' and {(heldTask is null ? "no task" : $"task '{heldTask}'")}: " +
            "a record that settles a hold must name its meter, agent and task. Nothing was charged.",
            "request");
#pragma warning restore CA2208

    /// <summary>
    /// The customer-side scopes a call is metered against, most specific first: its task (when it names one), its
    /// agent, its customer. Usage is counted in every one of them, whether a budget is set or not.
    /// </summary>
    /// <param name="call">The call.</param>
    public static CallScopes ScopesOf(in LedgerCall call) => new(call.CustomerId, call.AgentId, call.TaskRef, call.Meter);

    /// <summary>The limit and period of the budget of a scope: the one set for it, else the call's default for a customer scope.</summary>
    /// <param name="key">The scope and meter.</param>
    /// <param name="stored">The budget set for the scope, if any.</param>
    /// <param name="defaultCustomerBudget">The client's default customer budget for the meter, if any.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="period">The period kind.</param>
    /// <returns>Whether a budget applies.</returns>
    public static bool TryGetLimit(BudgetKey key, Budget? stored, BudgetLimit? defaultCustomerBudget, out long limit, out BudgetPeriod period)
    {
        if (stored is not null)
        {
            (limit, period) = (stored.Limit, stored.Period);
            return true;
        }

        if (key.Scope.Kind == BudgetScopeKind.Customer && defaultCustomerBudget is not null)
        {
            (limit, period) = (defaultCustomerBudget.Limit, defaultCustomerBudget.Period);
            return true;
        }

        (limit, period) = (0, BudgetPeriod.Lifetime);
        return false;
    }

    /// <summary>What a budget can still hold; negative once usage went past the limit.</summary>
    /// <param name="limit">The limit.</param>
    /// <param name="used">Settled usage in the period.</param>
    /// <param name="reserved">Units held by open holds.</param>
    public static long Available(long limit, long used, long reserved) => limit - used - reserved;

    /// <summary>
    /// Whether a budget can hold an amount: it must have something left and the amount must fit in it, so a spent
    /// budget (or a budget of zero) refuses even an estimate of zero.
    /// </summary>
    /// <param name="available">What the budget can still hold (<see cref="Available"/>).</param>
    /// <param name="units">The amount asked for.</param>
    public static bool Fits(long available, long units) => available > 0 && units <= available;

    /// <summary>Why a budget refused: a task's budget says <see cref="RefusalReason.TaskCeilingExceeded"/>, every other one <see cref="RefusalReason.BudgetExhausted"/>.</summary>
    /// <param name="key">The refusing budget.</param>
    public static RefusalReason ReasonFor(BudgetKey key)
        => key.Scope.Kind == BudgetScopeKind.Task ? RefusalReason.TaskCeilingExceeded : RefusalReason.BudgetExhausted;

    /// <summary>Folds one budget's availability into the tightest remaining amount so far (never below zero).</summary>
    /// <param name="tightest">The tightest so far, or <see langword="null"/> before the first budget.</param>
    /// <param name="available">This budget's availability.</param>
    public static long Tightest(long? tightest, long available)
    {
        var left = Math.Max(0, available);
        return tightest is { } so ? Math.Min(so, left) : left;
    }

    /// <summary>Whether usage is at least a percentage of a limit, in exact integers (a limit of zero is reached by any usage).</summary>
    /// <param name="used">The usage.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="percent">The percentage.</param>
    public static bool Reached(long used, long limit, int percent)
        => limit == 0 ? used > 0 : (Int128)used * 100 >= (Int128)limit * percent;

    /// <summary>
    /// The alert thresholds a charge crosses for the first time in a budget's period, ascending: those above the
    /// highest already raised that the usage now reaches. Each is raised once per budget per period.
    /// </summary>
    /// <param name="used">The budget's usage after the charge.</param>
    /// <param name="limit">Its limit.</param>
    /// <param name="alreadyRaised">The highest threshold already raised in the period (0 for none).</param>
    /// <param name="thresholds">The thresholds, ascending.</param>
    /// <param name="crossed">Receives the thresholds crossed now.</param>
    /// <returns>The highest threshold raised after the charge.</returns>
    public static int CrossThresholds(long used, long limit, int alreadyRaised, IReadOnlyList<int> thresholds, ICollection<int> crossed)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(crossed);
        var highest = alreadyRaised;
        foreach (var threshold in thresholds)
        {
            if (threshold > highest && Reached(used, limit, threshold))
            {
                crossed.Add(threshold);
                highest = threshold;
            }
        }

        return highest;
    }

    /// <summary>
    /// Whether waiting would let a refused amount through: not when it is above the budget's whole limit (or the
    /// budget is zero, or spent for its lifetime); once its period ends when settled usage leaves no room; once
    /// runs in flight end when only their holds are in the way.
    /// </summary>
    /// <param name="refusal">The refusing budget as it stood.</param>
    /// <param name="units">The refused amount.</param>
    /// <param name="periodEnd">When the budget's current period ends, or <see langword="null"/> for a lifetime budget.</param>
    public static RetryAdvice Advise(in BudgetRefusal refusal, long units, DateTimeOffset? periodEnd)
    {
        if (refusal.Limit == 0 || units > refusal.Limit)
        {
            return RetryAdvice.Permanent;
        }

        if (refusal.Reserved > 0 && Fits(Available(refusal.Limit, refusal.Used, 0), units))
        {
            return new RetryAdvice(RefusalPersistence.UntilHoldsEnd, refusal.EarliestHoldExpiry);
        }

        return periodEnd is { } end ? new RetryAdvice(RefusalPersistence.UntilPeriodEnds, end) : RetryAdvice.Permanent;
    }

    /// <summary>
    /// Whether waiting would let a call refused by a run's <see cref="SpendingCeiling"/> through: once holds in flight
    /// inside the run end, when only they are in the way; never otherwise, since a run's spend does not reset.
    /// </summary>
    /// <param name="limit">The ceiling's limit.</param>
    /// <param name="spent">What the run was charged on its meter.</param>
    /// <param name="held">What the run's open holds hold.</param>
    /// <param name="units">The refused amount.</param>
    public static RetryAdvice AdviseCeiling(long limit, long spent, long held, long units)
        => held > 0 && units <= limit && Available(limit, spent, 0) >= units
            ? new RetryAdvice(RefusalPersistence.UntilHoldsEnd, null)
            : RetryAdvice.Permanent;

    /// <summary>
    /// Whether waiting would let a refused top-up through: as <see cref="Advise"/>, with the growing hold's own units
    /// counted as spent, since waiting for that hold to end cannot help it grow.
    /// </summary>
    /// <param name="refusal">The refusing budget as it stood.</param>
    /// <param name="units">The refused extra units.</param>
    /// <param name="heldUnits">What the growing hold holds already.</param>
    /// <param name="periodEnd">When the budget's current period ends, or <see langword="null"/> for a lifetime budget.</param>
    public static RetryAdvice AdviseTopUp(in BudgetRefusal refusal, long units, long heldUnits, DateTimeOffset? periodEnd)
        => Add(heldUnits, units) > refusal.Limit
            ? RetryAdvice.Permanent
            : Advise(refusal with { Used = Add(refusal.Used, heldUnits), Reserved = Subtract(refusal.Reserved, heldUnits) }, units, periodEnd);
}
