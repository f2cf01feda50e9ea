using AgentBill.Validation;

namespace AgentBill.Ledger;

/// <summary>
/// The wait before each retry of a store call: exponential from <see cref="AgentBillOptions.RecordRetryDelay"/>
/// (doubling with each try), with jitter, and never above <see cref="Guard.MaxWait"/>.
/// </summary>
/// <remarks>
/// The jitter spreads each wait evenly over ±25 % of its exponential value, as Polly v8's constant and linear
/// backoffs with <c>UseJitter</c> do: clients that lost the store at the same moment do not all come back at the same
/// moment, and the longest a retry can wait stays known, so the replay window of the client's own keys
/// (<see cref="RetryWindow"/>) stays bounded. Polly's exponential jitter (decorrelated) has no such tight bound.
/// </remarks>
internal sealed class RetryBackoff
{
    /// <summary>The share of a wait the jitter spreads it over: from 1 − Spread/2 to 1 + Spread/2 of it.</summary>
    public const double JitterSpread = 0.5;

    private readonly TimeSpan _firstDelay;
    private readonly Func<double> _random;

    /// <param name="firstDelay">The wait before the first retry, before jitter.</param>
    /// <param name="random">A number in [0, 1) per wait; <see langword="null"/> for <see cref="Random.Shared"/>.</param>
    public RetryBackoff(TimeSpan firstDelay, Func<double>? random = null)
    {
        _firstDelay = firstDelay;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The wait after failed try number <paramref name="attempt"/> (1 for the first).</summary>
    public TimeSpan Next(int attempt) => Delay(_firstDelay, attempt, _random());

    /// <summary>The wait after a failed try, for a <paramref name="random"/> number in [0, 1].</summary>
    public static TimeSpan Delay(TimeSpan firstDelay, int attempt, double random)
    {
        var exponential = Exponential(firstDelay, attempt);
        var jittered = exponential * (1 - (JitterSpread / 2) + (JitterSpread * Math.Clamp(random, 0, 1)));
        return jittered > Guard.MaxWait ? Guard.MaxWait : jittered;
    }

    /// <summary>
    /// Twice the longest a charge can spend in its attempts and backoffs (every attempt timing out, every wait at its
    /// longest): how long the client's own idempotency keys must stay answerable.
    /// </summary>
    public static TimeSpan RetryWindow(AgentBillOptions options)
    {
        var longest = options.StoreTimeout * options.RecordAttempts;
        for (var attempt = 1; attempt < options.RecordAttempts; attempt++)
        {
            longest += Delay(options.RecordRetryDelay, attempt, random: 1);
        }

        return longest * 2;
    }

    private static TimeSpan Exponential(TimeSpan firstDelay, int attempt)
    {
        var delay = firstDelay * Math.Pow(2, Math.Clamp(attempt - 1, 0, 20));
        return delay > Guard.MaxWait ? Guard.MaxWait : delay;
    }
}
