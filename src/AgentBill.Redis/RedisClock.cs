namespace AgentBill.Redis;

/// <summary>Whose clock decides when holds expire, when remembered answers are forgotten, and which period a call counts in.</summary>
public enum RedisClock
{
    /// <summary>
    /// The Redis server's (<c>TIME</c>, read inside each script): every client shares it, so a client with a wrong
    /// clock can never see another's hold as expired. A client's own time is still sent for the names of the day,
    /// week and month, and is refused (<see cref="ClockSkewException"/>) when it is further from the server's than
    /// <see cref="RedisLedgerOptions.MaxClockSkew"/>.
    /// </summary>
    Server = 0,

    /// <summary>
    /// Each client's <see cref="TimeProvider"/>, unchecked: for tests that drive time with a fake clock, with every
    /// client of the ledger sharing that one clock. Never in production: a client whose clock is off by more than a
    /// hold's time to live sees other clients' holds as expired.
    /// </summary>
    Client = 1,
}
