namespace AgentBill;

/// <summary>
/// The names of the current day, week and month at one instant. A ledger stores usage per period name, so a
/// new period starts inside the same atomic write as the charge that first touches it and past periods stay
/// readable. Ledgers never do calendar arithmetic themselves: the client computes these names.
/// </summary>
/// <param name="Day">The day's name, such as <c>d:2026-11-23</c>.</param>
/// <param name="Week">The week's name (its Monday), such as <c>w:2026-11-23</c>.</param>
/// <param name="Month">The month's name, such as <c>m:2026-11</c>.</param>
public readonly record struct PeriodKeys(string Day, string Week, string Month)
{
    /// <summary>The name of the single lifetime period.</summary>
    public const string Lifetime = "all";

    /// <summary>The kind of period a name belongs to.</summary>
    /// <param name="periodKey">A period name made by <see cref="PeriodCalendar"/>.</param>
    public static BudgetPeriod KindOf(string periodKey) => periodKey switch
    {
        Lifetime => BudgetPeriod.Lifetime,
        ['d', ':', ..] => BudgetPeriod.Day,
        ['w', ':', ..] => BudgetPeriod.Week,
        ['m', ':', ..] => BudgetPeriod.Month,
        _ => throw new ArgumentException($"'{periodKey}' is not a period name.", nameof(periodKey)),
    };

    /// <summary>Gets the name of the current period of the given kind.</summary>
    /// <param name="period">The period kind.</param>
    public string For(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Day => Day,
        BudgetPeriod.Week => Week,
        BudgetPeriod.Month => Month,
        _ => Lifetime,
    };
}
