using System.Threading.RateLimiting;
using AgentBill;
using AgentBill.InMemory;
using AgentBill.Ledger;
using BenchmarkDotNet.Attributes;

namespace AgentBill.Benchmarks;

/// <summary>
/// One uncontended gated call on the in-memory store (hold, then settle) against the nearest primitive the
/// platform has: taking and returning a token-bucket lease; and a [Gate]d method against the same method ungated.
/// The store's own hold and settle, without the client, shows how the cost of a gated call divides.
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

    private readonly AgentBillClient _bill = BenchClients.InMemory();
    private readonly PreflightRequest _request = new("researcher") { CustomerId = "acme", EstimatedUnits = 10 };

    private readonly InMemoryBudgetLedger _ledger = new();
    private readonly LedgerCall _call = new()
    {
        CustomerId = "acme",
        AgentId = "researcher",
        Meter = UsageMeter.Units,
        Now = DateTimeOffset.UnixEpoch,
        Periods = new PeriodKeys("d:1970-01-01", "w:1969-12-29", "m:1970-01"),
        RememberUntil = DateTimeOffset.UnixEpoch,
    };

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

    [Benchmark(Description = "the in-memory store alone: hold + settle")]
    public async ValueTask<long> StoreAlone()
    {
        // One id serves every iteration: each hold is settled before the next is made, and a handle's settle leaves no tombstone.
        var reserved = await _ledger.ReserveAsync(new ReserveCommand(_call, "hold", 10, DateTimeOffset.MaxValue), CancellationToken.None);
        var settled = await _ledger.ChargeAsync(new ChargeCommand(_call, 7, reserved.ReservationId, SettleOldestHold: false), CancellationToken.None);
        return settled.Units;
    }

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
