namespace AgentBill.Redis;

/// <summary>
/// Thrown when <see cref="RedisLedgerOptions.Clock"/> is <see cref="RedisClock.Server"/> and this process's clock
/// is further from the Redis server's than <see cref="RedisLedgerOptions.MaxClockSkew"/>: its period names (which
/// day, week or month a call counts in) cannot be trusted. Nothing was held or charged. Not an outage, so the
/// client's failure mode does not let the call through: fix the machine's clock (NTP).
/// </summary>
public sealed class ClockSkewException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="skew">How far this process's clock is ahead of the server's (negative: behind).</param>
    /// <param name="bound">The largest skew allowed.</param>
    public ClockSkewException(TimeSpan skew, TimeSpan bound)
        : base($"This process's clock is {Math.Abs(skew.TotalMilliseconds):0} ms {(skew > TimeSpan.Zero ? "ahead of" : "behind")} the Redis server's, more than the {bound.TotalMilliseconds:0} ms allowed (RedisLedgerOptions.MaxClockSkew). Nothing was held or charged.")
    {
        Skew = skew;
    }

    /// <summary>Gets how far this process's clock was ahead of the server's (negative: behind).</summary>
    public TimeSpan Skew { get; }
}
