namespace AgentBill.Postgres;

/// <summary>
/// Thrown under <see cref="PostgresClock.Server"/> when this process's clock is so far from the database's (more than
/// a day) that the periods it names cannot include the one the database is in: counting the call would put it in a
/// wrong day, week or month. Nothing was held or charged. Not an outage: a client's fail-open mode does not let calls
/// through it. Fix the machine's clock (NTP).
/// </summary>
public sealed class PostgresClockSkewException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="skew">How far this process's clock is ahead of the database's (negative: behind).</param>
    public PostgresClockSkewException(TimeSpan skew)
        : base($"This process's clock is {Math.Abs(skew.TotalHours):0.#} hours {(skew > TimeSpan.Zero ? "ahead of" : "behind")} the PostgreSQL server's: the periods it names cannot include the one the database is in. This call held and charged nothing; fix the machine's clock.")
    {
        Skew = skew;
    }

    /// <summary>Gets how far this process's clock was ahead of the database's (negative: behind).</summary>
    public TimeSpan Skew { get; }
}
