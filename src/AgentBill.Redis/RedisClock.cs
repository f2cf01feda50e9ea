namespace AgentBill.Redis;

/// <summary>Whose clock decides when holds expire, when remembered answers are forgotten, and which period a call counts in.</summary>
public enum RedisClock
{
    /// <summary>
    /// The Redis server's (<c>TIME</c>, read inside each script): every client shares it, so a client with a wrong
    /// clock can never see another's hold as expired, and the server's time also picks the day, week and month a
    /// call counts in, among the candidates the client names in its time zone (the periods around its own time, with
    /// their bounds). A request that waited in a queue therefore counts where it ran, and a late answer is never
    /// taken for a wrong clock. A client whose clock is proven further from the server's than
    /// <see cref="RedisLedgerOptions.MaxClockSkew"/> is refused (<see cref="ClockSkewException"/>) before anything
    /// is done: ahead, by the script; behind, by the client itself from the server's time in a reply, after which its
    /// next calls probe the server's <c>TIME</c> first.
    /// </summary>
    Server = 0,

    /// <summary>
    /// Each client's <see cref="TimeProvider"/>, unchecked: for tests that drive time with a fake clock, with every
    /// client of the ledger sharing that one clock. Never in production: a client whose clock is off by more than a
    /// hold's time to live sees other clients' holds as expired.
    /// </summary>
    Client = 1,
}
