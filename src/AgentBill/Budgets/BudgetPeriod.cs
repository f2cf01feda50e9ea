namespace AgentBill;

/// <summary>How long a budget's usage accumulates before it starts again from zero.</summary>
/// <remarks>Calendar periods follow <see cref="AgentBillOptions.TimeZone"/>; weeks start on Monday (ISO 8601).</remarks>
public enum BudgetPeriod
{
    /// <summary>Usage never resets.</summary>
    Lifetime = 0,

    /// <summary>A calendar day.</summary>
    Day = 1,

    /// <summary>A calendar week, Monday to Sunday.</summary>
    Week = 2,

    /// <summary>A calendar month.</summary>
    Month = 3,
}
