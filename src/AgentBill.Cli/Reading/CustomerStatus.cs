using AgentBill.Cli.Output;

namespace AgentBill.Cli.Reading;

/// <summary>Everything an operator asks first about one customer: budgets, usage, holds and the last refusal.</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="At">When it was read, by the tool's clock.</param>
/// <param name="Budgets">Each budget of the customer with its usage in its current period.</param>
/// <param name="Usage">The customer scope's usage per meter in the current day, week, month and lifetime.</param>
/// <param name="OpenHolds">Open holds (at most <see cref="HoldsShown"/> listed).</param>
/// <param name="MoreHolds">Whether the customer has more open holds than listed.</param>
/// <param name="LastRefusal">The latest refusal the store decided, or <see langword="null"/>.</param>
internal sealed record CustomerStatus(
    string CustomerId,
    DateTimeOffset At,
    IReadOnlyList<BudgetStatus> Budgets,
    IReadOnlyList<PeriodUsage> Usage,
    IReadOnlyList<HoldView> OpenHolds,
    bool MoreHolds,
    RefusalView? LastRefusal)
{
    /// <summary>How many holds a status lists.</summary>
    public const int HoldsShown = 20;
}

/// <summary>A budget and its usage in its current period.</summary>
internal sealed record BudgetStatus(
    ScopeView Scope,
    UsageMeter Meter,
    BudgetPeriod Period,
    string PeriodKey,
    DateTimeOffset? PeriodEnd,
    long Limit,
    long Used,
    long Reserved,
    long Remaining,
    bool Overrun);

/// <summary>The usage of one meter in one current period.</summary>
internal sealed record PeriodUsage(UsageMeter Meter, BudgetPeriod Period, string PeriodKey, long Used, long Reserved);

/// <summary>An open hold.</summary>
internal sealed record HoldView(string ReservationId, string CustomerId, string AgentId, string? TaskRef, UsageMeter Meter, long Units, DateTimeOffset ExpiresAt)
{
    public static HoldView Of(Ledger.OpenHold hold) => new(hold.ReservationId, hold.CustomerId, hold.AgentId, hold.TaskRef, hold.Meter, hold.Units, hold.ExpiresAt);
}

/// <summary>A refusal, with whether waiting helps.</summary>
internal sealed record RefusalView(
    DateTimeOffset At,
    string CustomerId,
    string AgentId,
    string? TaskRef,
    UsageMeter Meter,
    RefusalReason Reason,
    ScopeView? RefusedBy,
    long Requested,
    long? Remaining)
{
    public static RefusalView Of(Ledger.RefusalRecord refusal) => new(
        refusal.At,
        refusal.CustomerId,
        refusal.AgentId,
        refusal.TaskRef,
        refusal.Meter,
        refusal.Reason,
        refusal.Scope is { } scope ? ScopeView.Of(scope) : null,
        refusal.Requested,
        refusal.Remaining);
}
