namespace AgentBill.Ledger;

/// <summary>Which usage rows a report reads; a filter left <see langword="null"/> matches every row.</summary>
public sealed record UsageReportQuery
{
    /// <summary>One customer's rows (with <see cref="BudgetScopeKind.Global"/> rows excluded), or every customer's.</summary>
    public string? CustomerId { get; init; }

    /// <summary>One kind of scope: customer, customer × agent, task or global.</summary>
    public BudgetScopeKind? Kind { get; init; }

    /// <summary>One meter.</summary>
    public UsageMeter? Meter { get; init; }

    /// <summary>
    /// One period, named as <see cref="PeriodCalendar"/> names it (<c>d:…</c>, <c>w:…</c>, <c>m:…</c>, or
    /// <see cref="PeriodKeys.Lifetime"/>); <see langword="null"/> reads every period the store still keeps.
    /// </summary>
    public string? PeriodKey { get; init; }
}
