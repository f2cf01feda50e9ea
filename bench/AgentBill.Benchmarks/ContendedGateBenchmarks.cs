using AgentBill;
using BenchmarkDotNet.Attributes;

namespace AgentBill.Benchmarks;

/// <summary>Gated calls on one customer's budget from several threads at once: the cost of the customer lock.</summary>
[BenchmarkCategory("contended")]
public class ContendedGateBenchmarks
{
    private const int CallsPerInvoke = 4_096;

    private readonly AgentBillClient _bill = new();
    private readonly PreflightRequest _request = new("researcher") { CustomerId = "acme", EstimatedUnits = 10 };

    [Params(1, 2, 8)]
    public int Threads { get; set; }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke, Description = "ReserveAsync + CommitAsync per call, one customer")]
    public void ReserveAndCommit()
    {
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (var call = 0; call < CallsPerInvoke / Threads; call++)
            {
                Run().GetAwaiter().GetResult();
            }
        });
    }

    private async ValueTask Run()
    {
        await using var reservation = await _bill.ReserveAsync(_request);
        await reservation.CommitAsync(7);
    }
}
