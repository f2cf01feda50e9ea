using System.Diagnostics;
using AgentBill;

/// <summary>
/// The load tests' measurement: callers loop on their call for a while after an unmeasured warm-up; calls a second
/// and the latency percentiles. Linked into each load test, so every store is measured the same way.
/// </summary>
internal static class LoadMeasurement
{
    /// <summary>
    /// The gated call of every load test: a reserve then a commit, each caller its own customer with a monthly budget,
    /// naming an agent and a task (three scopes).
    /// </summary>
    public static async Task<Func<int, Func<Task>>> GatedAsync(AgentBillClient bill, int callers)
    {
        for (var caller = 0; caller < callers; caller++)
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Customer($"c{caller}"), UsageMeter.Units, long.MaxValue / 1_000_000, BudgetPeriod.Month));
        }

        return caller =>
        {
            var request = new PreflightRequest("load") { CustomerId = $"c{caller}", TaskRef = "task", EstimatedUnits = 10 };
            return async () =>
            {
                await using var reservation = await bill.ReserveAsync(request);
                await reservation.CommitAsync(7);
            };
        };
    }

    public static async Task<Result> Measure(int callers, Func<int, Func<Task>> callOf, int seconds, TimeSpan warmUp)
    {
        var calls = Enumerable.Range(0, callers).Select(callOf).ToArray();
        await Loop(calls, warmUp, null);
        var latencies = new List<long>[callers];
        var clock = Stopwatch.StartNew();
        var count = await Loop(calls, TimeSpan.FromSeconds(seconds), latencies);
        var elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(count / elapsed, Micro(all[all.Length / 2]), Micro(all[(int)(all.Length * 0.99)]));

        static double Micro(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
    }

    private static async Task<long> Loop(Func<Task>[] calls, TimeSpan duration, List<long>[]? latencies)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var counts = await Task.WhenAll(calls.Select((call, i) => Task.Run(async () =>
        {
            var mine = new List<long>();
            long n = 0;
            while (Stopwatch.GetTimestamp() < end)
            {
                var start = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetTimestamp() - start);
                n++;
            }

            if (latencies is not null)
            {
                latencies[i] = mine;
            }

            return n;
        })));
        return counts.Sum();
    }
}

/// <summary>Calls a second, and the median and 99th-percentile latency in microseconds.</summary>
internal readonly record struct Result(double PerSecond, double P50, double P99);
