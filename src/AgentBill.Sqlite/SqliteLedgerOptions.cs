namespace AgentBill.Sqlite;

/// <summary>Settings of a <see cref="SqliteBudgetLedger"/>.</summary>
public sealed class SqliteLedgerOptions
{
    /// <summary>
    /// Gets or sets the ledger file's path, such as <c>agentbill.db</c>. The file is made on first use; its directory
    /// must exist. Every process that names the same file shares one ledger.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets what an acknowledged commit survives. Defaults to <see cref="SqliteSynchronous.Full"/>.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Full;

    /// <summary>
    /// Gets or sets how long an operation waits for another process's transaction on the file before it gives up
    /// with <see cref="AgentBillUnavailableException"/>. Defaults to 5 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long usage stays readable after it last changed, as
    /// <see cref="AgentBill.InMemory.InMemoryBudgetLedgerOptions.UsageRetention"/> says for the in-memory store. Defaults
    /// to 62 days. A past period untouched for this long is deleted; so is a customer with no budget, no open hold and
    /// no answer still to replay once its last activity is this old (its lifetime total with it). Deleting is done a
    /// few rows at a time by the operations themselves: no timer, and no operation does more than a bounded amount.
    /// </summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(62);

    /// <summary>
    /// Gets or sets the clock of the reports (<see cref="Ledger.IBudgetLedgerReports"/>): what the expired-hold sweep
    /// calls now, and when activity is read. Operations follow the time in each command, not this clock.
    /// <see langword="null"/> (the default) is <see cref="System.TimeProvider.System"/>; give it the clients' clock.
    /// <c>UseSqlite</c> gives it the container's <see cref="System.TimeProvider"/> when it is left unset.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }
}
