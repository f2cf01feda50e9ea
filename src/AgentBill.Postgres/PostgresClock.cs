namespace AgentBill.Postgres;

/// <summary>Whose clock decides when holds expire, when remembered answers are forgotten, and which period a call counts in.</summary>
public enum PostgresClock
{
    /// <summary>
    /// The database server's (<c>clock_timestamp()</c>, read inside each operation's transaction): every client shares
    /// it, so a client whose clock is wrong never sees another's hold as expired, and the database's time picks the day,
    /// week and month a call counts in among the candidates the client names in its time zone. A hold's time to live
    /// and an answer's window are kept as the client asked, counted from the database's now.
    /// </summary>
    Server = 0,

    /// <summary>
    /// Each client's <see cref="TimeProvider"/>, unchecked: for tests that drive time with a fake clock, with every
    /// client of the ledger sharing that one clock. Never in production: a client whose clock is off by more than a
    /// hold's time to live sees other clients' holds as expired.
    /// </summary>
    Client = 1,
}
