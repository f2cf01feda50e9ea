using System.Threading.RateLimiting;
using AgentBill;
using BenchmarkDotNet.Attributes;

namespace AgentBill.Benchmarks;

/// <summary>
/// One uncontended gated call on the in-memory store (hold, then settle) against the nearest primitive the
/// platform has: taking and returning a token-bucket lease; and a [Gate]d method against the same method ungated.
/// </summary>
[BenchmarkCategory("gate")]
public class GateBenchmarks
{
    [GlobalSetup]
    public void Setup() => AgentBillGate.DefaultClient = _bill;

    private readonly TokenBucketRateLimiter _limiter = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = 1_000_000,
        TokensPerPeriod = 1_000_000,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = false,
    });

    private readonly AgentBillClient _bill = new();
    private readonly PreflightRequest _request = new("researcher") { CustomerId = "acme", EstimatedUnits = 10 };

    [Benchmark(Baseline = true, Description = "TokenBucketRateLimiter acquire + dispose")]
    public bool TokenBucket()
    {
        using var lease = _limiter.AttemptAcquire();
        return lease.IsAcquired;
    }

    [Benchmark(Description = "[Gate]d method call (in-memory)")]
    public int GatedCall() => Work.Gated(1);

    [Benchmark(Description = "the same method, ungated")]
    public int UngatedCall() => Work.Ungated(1);

    [Benchmark(Description = "ReserveAsync + CommitAsync (in-memory)")]
    public async ValueTask<long> ReserveAndCommit()
    {
        await using var reservation = await _bill.ReserveAsync(_request);
        return (await reservation.CommitAsync(7)).Units;
    }

    [Benchmark(Description = "PreflightAsync + RecordAsync (in-memory)")]
    public async ValueTask<long> PreflightAndRecord()
    {
        var check = await _bill.PreflightAsync(_request);
        return (await _bill.RecordAsync(new RecordRequest("researcher", 7) { CustomerId = "acme", ReservationId = check.ReservationId })).Units;
    }
}

/// <summary>The work being gated: as small as possible, so the gate's own cost shows.</summary>
internal static class Work
{
    [Gate("bench", EstimatedUnits = 1, CustomerId = "acme")]
    public static int Gated(int x) => x + 1;

    public static int Ungated(int x) => x + 1;
}
