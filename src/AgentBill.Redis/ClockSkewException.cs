namespace AgentBill.Redis;

/// <summary>
/// Thrown when <see cref="RedisLedgerOptions.Clock"/> is <see cref="RedisClock.Server"/> and this process's clock
/// is proven further from the Redis server's than <see cref="RedisLedgerOptions.MaxClockSkew"/>, before the call did
/// anything: the call held and charged nothing. Proven means no queueing delay can explain it: a client time ahead of
/// the server's when the script runs (a request always runs after it was sent), or a server time past this process's
/// clock when a reply arrives (the server read it before answering). A slow or stalled server only makes a request
/// late, which is never taken for skew; an answer that does not come in time is
/// <see cref="AgentBillUnavailableException"/>. Not an outage, so the client's failure mode does not let the call
/// through: fix the machine's clock (NTP). A record whose earlier attempt got no answer is not refused with this
/// exception (that attempt may have been charged) but with <see cref="AgentBillUnavailableException"/>, to be
/// retried with the same reservation id or idempotency key.
/// </summary>
public sealed class ClockSkewException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="skew">How far this process's clock is ahead of the server's (negative: behind).</param>
    /// <param name="bound">The largest skew allowed.</param>
    public ClockSkewException(TimeSpan skew, TimeSpan bound)
        : base($"This process's clock is {Math.Abs(skew.TotalMilliseconds):0} ms {(skew > TimeSpan.Zero ? "ahead of" : "behind")} the Redis server's, more than the {bound.TotalMilliseconds:0} ms allowed (RedisLedgerOptions.MaxClockSkew). This call held and charged nothing.")
    {
        Skew = skew;
    }

    /// <summary>Gets how far this process's clock was ahead of the server's (negative: behind).</summary>
    public TimeSpan Skew { get; }
}
