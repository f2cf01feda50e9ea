namespace AgentBill.Redis;

/// <summary>Settings of the Redis store. Checked by <see cref="RedisLedgerOptionsValidator"/>.</summary>
public sealed class RedisLedgerOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, such as <c>localhost:6379</c> or
    /// <c>redis.example.com:6380,password=…,ssl=true</c>. When it is set, the store opens and owns its own
    /// connection; when it is not, it uses the <see cref="StackExchange.Redis.IConnectionMultiplexer"/> registered
    /// in the container.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key, so several applications can share one Redis. Defaults to
    /// <c>agentbill</c>. It must not contain braces (each key's hash tag is its customer's) or control characters.
    /// </summary>
    public string KeyPrefix { get; set; } = "agentbill";

    /// <summary>Gets or sets whose clock the ledger follows. Defaults to <see cref="RedisClock.Server"/>.</summary>
    public RedisClock Clock { get; set; } = RedisClock.Server;

    /// <summary>
    /// Gets or sets how far a client's clock may be proven from the server's under <see cref="RedisClock.Server"/>
    /// before its calls are refused with <see cref="ClockSkewException"/>. The server's time picks each call's period
    /// whatever the client's clock says; the bound keeps a badly set machine from running unnoticed. A slow or
    /// stalled server never counts as skew. Defaults to 2 seconds; at most
    /// <see cref="RedisLedgerOptionsValidator.MaxClockSkewBound"/>.
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gets or sets how long the keys of a customer without a budget outlive its last activity (or its latest hold
    /// or remembered answer, if later): then its usage, lifetime total too, is gone, so the server's memory follows
    /// the active customers. A customer with a budget keeps its keys for good. Defaults to 62 days, like the
    /// in-memory store's <c>UsageRetention</c>; at least a day.
    /// </summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(62);

    /// <summary>
    /// Gets or sets whether the first call creates the ledger when Redis holds none. Defaults to <see langword="true"/>,
    /// so a first try needs no setup. Set it to <see langword="false"/> in production: the ledger is then created once
    /// by an explicit step (<see cref="RedisBudgetLedger.InitializeAsync"/>, in a deployment job), and a process that
    /// finds no ledger — a Redis restarted without persistence, flushed, or failed over to an empty replica before the
    /// process started — refuses every call with <see cref="LedgerDataLostException"/> instead of starting an empty
    /// ledger that approves everything. On Redis Cluster every slot's loss marker must then exist too.
    /// </summary>
    public bool CreateLedgerOnFirstUse { get; set; } = true;

    /// <summary>
    /// Gets or sets the clock of the reports (<see cref="Ledger.IBudgetLedgerReports"/>) under <see cref="RedisClock.Client"/>:
    /// what the expired-hold sweep calls now, and when activity is read (under <see cref="RedisClock.Server"/> the
    /// server's <c>TIME</c> is). <see langword="null"/> (the default) is <see cref="System.TimeProvider.System"/>.
    /// <c>UseRedis</c> gives it the container's <see cref="System.TimeProvider"/> when it is left unset.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }
}
