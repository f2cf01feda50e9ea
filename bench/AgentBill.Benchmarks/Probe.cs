using System.Diagnostics;

namespace AgentBill.Benchmarks;

/// <summary>
/// `-- --probe`: time and bytes per call of the gate benchmarks' paths, counted exactly over a long loop on one thread
/// (GC.GetAllocatedBytesForCurrentThread), for quick before/after comparisons while working on a hot path. The
/// BenchmarkDotNet run stays the figure of record.
/// </summary>
internal static class Probe
{
    public static void Run(int calls)
    {
        if (Environment.GetEnvironmentVariable("PROBE_TYPES") is { } path)
        {
            Types(path, calls);
            return;
        }

        var gate = new GateBenchmarks();
        gate.Setup();
        var chat = new ChatMiddlewareBenchmarks();
        var paths = new (string Name, Action Call)[]
        {
            ("token bucket", () => gate.TokenBucket()),
            ("store alone", () => gate.StoreAlone().GetAwaiter().GetResult()),
            ("[Gate] call", () => gate.GatedCall()),
            ("reserve+commit", () => gate.ReserveAndCommit().GetAwaiter().GetResult()),
            ("chat bare", () => chat.Bare().GetAwaiter().GetResult()),
            ("UseAgentBill()", () => chat.Gated().GetAwaiter().GetResult()),
        };
        for (var round = 0; round < 3; round++)
        {
            foreach (var (name, call) in paths)
            {
                for (var i = 0; i < calls / 4; i++)
                {
                    call();
                }

                var bytes = GC.GetAllocatedBytesForCurrentThread();
                var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < calls; i++)
                {
                    call();
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                var allocated = GC.GetAllocatedBytesForCurrentThread() - bytes;
                Console.WriteLine($"{name,-16} {elapsed.TotalNanoseconds / calls,8:F0} ns {(double)allocated / calls,8:F1} B   GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}, paused {(GC.GetTotalPauseDuration() - paused).TotalNanoseconds / calls:F0} ns/call");
            }
        }
    }

    private static void Types(string path, int calls)
    {
        var gate = new GateBenchmarks();
        gate.Setup();
        var chat = new ChatMiddlewareBenchmarks();
        Action call = path switch
        {
            "store" => () => gate.StoreAlone().GetAwaiter().GetResult(),
            "reserve" => () => gate.ReserveAndCommit().GetAwaiter().GetResult(),
            "chat" => () => chat.Gated().GetAwaiter().GetResult(),
            _ => () => gate.GatedCall(),
        };
        for (var i = 0; i < calls / 4; i++)
        {
            call();
        }

        using var sampler = new AllocationSampler();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        foreach (var (type, bytes) in sampler.BytesByType.OrderByDescending(p => p.Value))
        {
            Console.WriteLine($"{(double)bytes / calls,8:F1} B/call  {type}");
        }
    }
}
