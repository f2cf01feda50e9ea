// Gated calls per second and their latency at 1, 16 and 64 concurrent callers against a local redis-server,
// beside the physical baseline measured in the same run: redis-benchmark running EVALSHA of a trivial script.
// A second baseline, the client floor, makes the same two round trips of that trivial script through
// StackExchange.Redis from this process: what any gate on this client library could reach at best.
// Prints a markdown section for bench/results/latest.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentBill;
using AgentBill.Redis;
using StackExchange.Redis;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
int[] levels = [1, 16, 64];
var warmUp = TimeSpan.FromSeconds(2);
const int RoundTripsPerGatedCall = 2; // the reserve script, then the charge script

using var server = RedisProcess.Start();
await using var redis = await ConnectionMultiplexer.ConnectAsync(server.EndPoint);

Console.WriteLine("## Redis load test");
Console.WriteLine();
Console.WriteLine("- baseline, per level: redis-benchmark running EVALSHA of `return 1` with as many clients as the level has callers");
Console.WriteLine($"- a gated call is {RoundTripsPerGatedCall} round trips (reserve, then commit): its ceiling is the baseline ÷ {RoundTripsPerGatedCall}");
Console.WriteLine($"- each level runs {seconds} s after {warmUp.TotalSeconds:0} s of the same calls unmeasured; every caller is its own customer with a monthly budget");
Console.WriteLine();
Console.WriteLine($"- client floor, per level: {RoundTripsPerGatedCall} awaited EVALSHAs of `return 1` through StackExchange.Redis per call, with as many callers");
Console.WriteLine();
Console.WriteLine("| callers | EVALSHA/s (baseline) | gated calls/s | ratio to baseline ÷ 2 | p50 | p99 | target ≥ 0.5 | client floor calls/s | gated ÷ floor |");
Console.WriteLine("|--------:|---------------------:|--------------:|----------------------:|----:|----:|:------------:|---------------------:|--------------:|");
var trivial = await LuaScript.Prepare("return 1").LoadAsync(redis.GetServer(server.EndPoint));

foreach (var callers in levels)
{
    var baseline = server.EvalShaPerSecond(clients: callers, requests: callers == 1 ? 20_000 : 200_000);
    var ceiling = baseline / RoundTripsPerGatedCall;
    var ledger = new RedisBudgetLedger(redis, new RedisLedgerOptions { KeyPrefix = $"load{callers}" });
    await using var bill = new AgentBillClient(ledger);
    for (var caller = 0; caller < callers; caller++)
    {
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer($"c{caller}"), UsageMeter.Units, long.MaxValue / 1_000_000, BudgetPeriod.Month));
    }

    // The first calls of a level pay one-time costs the baseline never does: the JIT compiling the client and
    // StackExchange.Redis (at 1 caller, the first level, it was still at it seconds in), the thread pool growing to the level.
    Func<int, Func<Task>> gated = caller =>
    {
        var request = new PreflightRequest("load") { CustomerId = $"c{caller}", EstimatedUnits = 10 };
        return async () =>
        {
            await using var reservation = await bill.ReserveAsync(request);
            await reservation.CommitAsync(7);
        };
    };
    Func<int, Func<Task>> floor = _ =>
    {
        var database = redis.GetDatabase();
        return async () =>
        {
            for (var trip = 0; trip < RoundTripsPerGatedCall; trip++)
            {
                await trivial.EvaluateAsync(database);
            }
        };
    };

    await Measure(gated, callers, warmUp);
    var (perSecond, p50, p99) = await Measure(gated, callers, TimeSpan.FromSeconds(seconds));
    await Measure(floor, callers, warmUp);
    var (floorPerSecond, _, _) = await Measure(floor, callers, TimeSpan.FromSeconds(seconds));
    var ratio = perSecond / ceiling;
    Console.WriteLine($"| {callers} | {baseline:N0} | {perSecond:N0} | {ratio:0.00} | {p50.TotalMicroseconds:N0} µs | {p99.TotalMicroseconds:N0} µs | {(ratio >= 0.5 ? "met" : "missed")} | {floorPerSecond:N0} | {perSecond / floorPerSecond:0.00} |");
}

Console.WriteLine();

// Runs each caller's call in a loop for the duration; a caller's call is made once, before the clock starts.
static async Task<(double PerSecond, TimeSpan P50, TimeSpan P99)> Measure(Func<int, Func<Task>> callOf, int callers, TimeSpan duration)
{
    var latencies = new List<long>[callers];
    var stop = Stopwatch.StartNew();
    var runs = Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
    {
        var mine = latencies[caller] = new List<long>(100_000);
        var call = callOf(caller);
        while (stop.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            mine.Add(Stopwatch.GetTimestamp() - started);
        }
    })).ToArray();
    await Task.WhenAll(runs);
    var elapsed = stop.Elapsed;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return (all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
}

static TimeSpan Percentile(long[] sorted, double quantile)
    => Stopwatch.GetElapsedTime(0, sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))]);

/// <summary>A redis-server of this run's own on a free loopback port, stopped at the end.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisProcess(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public static RedisProcess Start()
    {
        var directory = Directory.CreateTempSubdirectory("agentbill-load-").FullName;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", directory]) { RedirectStandardOutput = true })!;
        while (process.StandardOutput.ReadLine() is { } line && !line.Contains("Ready to accept connections", StringComparison.Ordinal))
        {
        }

        return new RedisProcess(process, port, directory);
    }

    /// <summary>Runs redis-benchmark: EVALSHA of a script that only returns, the cheapest call a Lua gate could make.</summary>
    public double EvalShaPerSecond(int clients, int requests)
    {
        var sha = Run("redis-cli", ["-p", Port.ToString(CultureInfo.InvariantCulture), "SCRIPT", "LOAD", "return 1"]).Trim();
        var csv = Run("redis-benchmark", ["-p", Port.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "--csv", "EVALSHA", sha, "0"]);
        var row = csv.Split('\n').Last(line => line.StartsWith("\"EVALSHA", StringComparison.Ordinal));
        return double.Parse(row.Split(',')[1].Trim('"'), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Run(string program, string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
