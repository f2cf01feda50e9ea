namespace AgentBill.Postgres;

/// <summary>Settings of a <see cref="PostgresBudgetLedger"/>.</summary>
public sealed class PostgresLedgerOptions
{
    /// <summary>
    /// Gets or sets the connection string <c>UsePostgres(configure)</c> makes its data source from (bound from
    /// configuration, say). Not read by <see cref="PostgresBudgetLedger"/>, which takes a data source, nor by the
    /// <c>UsePostgres</c> overloads given a connection string or a data source.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets whose clock the ledger follows. Defaults to <see cref="PostgresClock.Server"/>.</summary>
    public PostgresClock Clock { get; set; } = PostgresClock.Server;

    /// <summary>
    /// Gets or sets how long usage stays readable after it last changed, as
    /// <see cref="AgentBill.InMemory.InMemoryBudgetLedgerOptions.UsageRetention"/> says for the in-memory store. Defaults
    /// to 62 days. Deleting is done a few rows at a time by the operations themselves: no timer, no job to schedule.
    /// </summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(62);

    /// <summary>
    /// Gets or sets how many times an operation that PostgreSQL stopped to break a deadlock or a serialization
    /// conflict is run again (it changed nothing) before the call fails with
    /// <see cref="AgentBillUnavailableException"/>. Defaults to 5.
    /// </summary>
    public int MaxConflictRetries { get; set; } = 5;

    /// <summary>
    /// Gets or sets the clock of the reports under <see cref="PostgresClock.Client"/>: what the expired-hold sweep calls
    /// now, and when activity is read. <see langword="null"/> (the default) is <see cref="System.TimeProvider.System"/>.
    /// <c>UsePostgres</c> gives it the container's <see cref="System.TimeProvider"/> when it is left unset.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }
}
