using System.Threading.RateLimiting;
using AgentBill;
using BenchmarkDotNet.Attributes;

namespace AgentBill.Benchmarks;

/// <summary>Gated calls on one customer's budget from several threads at once: the cost of the customer lock.</summary>
[BenchmarkCategory("contended")]
public class ContendedGateBenchmarks
{
    private const int CallsPerInvoke = 4_096;

    private readonly TokenBucketRateLimiter _limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 1_000_000,
        TokensPerPeriod = 1_000_000,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    });

    private readonly AgentBillClient _bill = BenchClients.InMemory();
    private readonly PreflightRequest _request = new("researcher") { CustomerId = "acme", EstimatedUnits = 10 };

    [Params(1, 2, 8)]
    public int Threads { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerInvoke, Description = "TokenBucketRateLimiter acquire + dispose, one limiter")]
    public void TokenBucket() => OnThreads(() =>
    {
        using var lease = _limiter.AttemptAcquire();
    });

    [Benchmark(OperationsPerInvoke = CallsPerInvoke, Description = "ReserveAsync + CommitAsync, one customer")]
    public void ReserveAndCommit() => OnThreads(() => Run().GetAwaiter().GetResult());

    private void OnThreads(Action call)
    {
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var i = 0; i < CallsPerInvoke / Threads; i++)
            {
                call();
            }
        });
    }

    private async ValueTask Run()
    {
        await using var reservation = await _bill.ReserveAsync(_request);
        await reservation.CommitAsync(7);
    }
}
