namespace AgentBill.InMemory;

/// <summary>Settings of an <see cref="InMemoryBudgetLedger"/>.</summary>
public sealed class InMemoryBudgetLedgerOptions
{
    /// <summary>
    /// Gets or sets how long usage stays readable after it last changed. Defaults to 62 days, so a month's usage
    /// can still be read for at least a month after it ends. A past period untouched for this long is dropped;
    /// so is a customer with no budget, no open hold and no answer still to replay once its usage is this old
    /// (its lifetime total with it): an embedded store's memory follows the number of active customers, not of
    /// every customer ever seen. A customer with a budget keeps its current periods and lifetime total for as
    /// long as the store lives.
    /// </summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(62);

    /// <summary>
    /// Gets or sets the clock of the reports (<see cref="Ledger.IBudgetLedgerReports"/>): what the expired-hold sweep and
    /// the usage report call now, and when activity is read. Operations follow the time in each command, not this
    /// clock. <see langword="null"/> (the default) is <see cref="System.TimeProvider.System"/>; give it the clients'
    /// clock. Dependency injection gives it the container's <see cref="System.TimeProvider"/>.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }
}
