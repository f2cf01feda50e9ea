// Gated calls per second, their latency and the server time they cost, at 1, 16 and 64 concurrent callers
// against a local redis-server, beside baselines measured in the same run:
// - redis-benchmark running EVALSHA of a trivial script (the server's own ceiling);
// - the client floor: the same two round trips of that trivial script through StackExchange.Redis from here;
// - the reference pair: the leanest reserve + settle over three scopes Lua allows (Reference/*.lua), the floor
//   of any Lua ledger on this server.
// Server time per call is read from INFO commandstats (EVALSHA's or FCALL's microseconds, nested commands included), reset
// before each measured run. Prints a markdown section for bench/results/latest.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentBill;
using AgentBill.Redis;
using StackExchange.Redis;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
int[] levels = Environment.GetEnvironmentVariable("LOADTEST_LEVELS") is { Length: > 0 } chosen
    ? chosen.Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray()
    : [1, 16, 64];
var warmUp = TimeSpan.FromSeconds(2);
const int RoundTripsPerGatedCall = 2; // the reserve script, then the charge script

using var server = RedisProcess.Start();
await using var redis = await ConnectionMultiplexer.ConnectAsync(server.EndPoint);
var admin = redis.GetServer(server.EndPoint);
var trivial = await LuaScript.Prepare("return 1").LoadAsync(admin);
var referenceReserve = await admin.ScriptLoadAsync(Embedded("reserve"));
var referenceSettle = await admin.ScriptLoadAsync(Embedded("settle"));

Console.WriteLine("## Redis load test");
Console.WriteLine();
Console.WriteLine($"- each level runs {seconds} s after {warmUp.TotalSeconds:0} s of the same calls unmeasured; every caller is its own customer with a monthly budget, and each call names an agent and a task (three scopes)");
Console.WriteLine("- a gated call is `ReserveAsync` then `CommitAsync`: two functions of the ledger's library (`FCALL`), with the server's clock (the default)");
Console.WriteLine($"- baselines from the same run: redis-benchmark running EVALSHA of `return 1` with as many clients as callers; the *client floor*, {RoundTripsPerGatedCall} awaited EVALSHAs of `return 1` per call through StackExchange.Redis; the *reference pair*, the leanest reserve + settle over three scopes (bench/AgentBill.LoadTest/Reference), {RoundTripsPerGatedCall} awaited EVALSHAs per call");
Console.WriteLine("- server µs per call: EVALSHA or FCALL microseconds from INFO commandstats (the whole script or function, nested commands included) over the calls of the run");
Console.WriteLine();
Console.WriteLine("| callers | EVALSHA/s (redis-benchmark) | client floor calls/s | reference pair calls/s | gated calls/s | gated ÷ reference (≥ 0.7 at 16, 64) | gated ÷ floor (≥ 0.8 at 1) | gated p50 | gated p99 | server µs: gated | reference pair | trivial pair | gated ÷ reference (≤ 1.5) |");
Console.WriteLine("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");

foreach (var callers in levels)
{
    var baseline = server.EvalShaPerSecond(clients: callers, requests: callers == 1 ? 20_000 : 200_000);
    var ledger = new RedisBudgetLedger(redis, new RedisLedgerOptions { KeyPrefix = $"load{callers}" });
    await using var bill = new AgentBillClient(ledger);
    var database = redis.GetDatabase();
    for (var caller = 0; caller < callers; caller++)
    {
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer($"c{caller}"), UsageMeter.Units, long.MaxValue / 1_000_000, BudgetPeriod.Month));
        await database.HashSetAsync($"ref:{{c{caller}}}:b", [new("Bc", long.MaxValue / 1_000_000), new("Ba", long.MaxValue / 1_000_000), new("Bt", long.MaxValue / 1_000_000)]);
    }

    // The first calls of a level pay one-time costs the baselines never do: the JIT compiling the client and
    // StackExchange.Redis, the thread pool growing to the level. Each kind of call is warmed up before it is measured.
    Func<int, Func<Task>> gated = caller =>
    {
        var request = new PreflightRequest("load") { CustomerId = $"c{caller}", TaskRef = "task", EstimatedUnits = 10 };
        return async () =>
        {
            await using var reservation = await bill.ReserveAsync(request);
            await reservation.CommitAsync(7);
        };
    };
    Func<int, Func<Task>> reference = caller =>
    {
        RedisKey[] keys = [$"ref:{{c{caller}}}:b", $"ref:{{c{caller}}}:z"];
        var next = 0L;
        return async () =>
        {
            var id = (next++).ToString(CultureInfo.InvariantCulture);
            var expires = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();
            await database.ScriptEvaluateAsync(referenceReserve, keys, [id, 10, expires]);
            await database.ScriptEvaluateAsync(referenceSettle, keys, [id, 7]);
        };
    };
    Func<int, Func<Task>> floor = _ => async () =>
    {
        for (var trip = 0; trip < RoundTripsPerGatedCall; trip++)
        {
            await trivial.EvaluateAsync(database);
        }
    };

    var gatedRun = await MeasureWithServerTime(admin, gated, callers, warmUp, TimeSpan.FromSeconds(seconds));
    var referenceRun = await MeasureWithServerTime(admin, reference, callers, warmUp, TimeSpan.FromSeconds(seconds));
    var floorRun = await MeasureWithServerTime(admin, floor, callers, warmUp, TimeSpan.FromSeconds(seconds));
    var toReference = gatedRun.PerSecond / referenceRun.PerSecond;
    var toFloor = gatedRun.PerSecond / floorRun.PerSecond;
    var serverRatio = gatedRun.ServerMicroseconds / referenceRun.ServerMicroseconds;
    Console.WriteLine(
        $"| {callers} | {baseline:N0} | {floorRun.PerSecond:N0} | {referenceRun.PerSecond:N0} | {gatedRun.PerSecond:N0} | " +
        $"{toReference:0.00}{(callers == 1 ? string.Empty : toReference >= 0.7 ? " met" : " missed")} | {toFloor:0.00}{(callers == 1 ? (toFloor >= 0.8 ? " met" : " missed") : string.Empty)} | " +
        $"{gatedRun.P50.TotalMicroseconds:N0} µs | {gatedRun.P99.TotalMicroseconds:N0} µs | {gatedRun.ServerMicroseconds:0.0} | {referenceRun.ServerMicroseconds:0.0} | {floorRun.ServerMicroseconds:0.0} | {serverRatio:0.00} {(serverRatio <= 1.5 ? "met" : "missed")} |");
}

Console.WriteLine();

// Warms a kind of call up, resets the server's command statistics, then measures it: calls per second, latency,
// and the server's microseconds per call (both scripts or functions of a pair).
static async Task<Run> MeasureWithServerTime(IServer admin, Func<int, Func<Task>> callOf, int callers, TimeSpan warmUp, TimeSpan duration)
{
    await Measure(callOf, callers, warmUp);
    await admin.ExecuteAsync("CONFIG", "RESETSTAT");
    var (calls, perSecond, p50, p99) = await Measure(callOf, callers, duration);
    var stats = (string)(await admin.ExecuteAsync("INFO", "commandstats"))!;
    if (Environment.GetEnvironmentVariable("LOADTEST_STATS") == "1")
    {
        Console.Error.WriteLine($"calls={calls}\n{stats}");
        var prof = (RedisResult[])(await admin.ExecuteAsync("HGETALL", "prof"))!; for (var i = 0; i < prof.Length; i += 2) Console.Error.WriteLine($"{prof[i]} {(double)prof[i + 1] / calls:0.0}"); await admin.ExecuteAsync("DEL", "prof");
    }

    // The ledger runs as functions (FCALL), the baselines as scripts (EVALSHA); a run makes one kind or the other.
    var usec = stats.Split('\n')
        .Where(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal) || l.StartsWith("cmdstat_fcall:", StringComparison.Ordinal))
        .Sum(l => double.Parse(l.Split(',').Single(part => part.Contains("usec=", StringComparison.Ordinal) && !part.Contains("per_call", StringComparison.Ordinal)).Split('=')[1], CultureInfo.InvariantCulture));
    return new Run(perSecond, p50, p99, usec / calls);
}

// Runs each caller's call in a loop for the duration; a caller's call is made once, before the clock starts.
static async Task<(long Calls, double PerSecond, TimeSpan P50, TimeSpan P99)> Measure(Func<int, Func<Task>> callOf, int callers, TimeSpan duration)
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
    return (all.Length, all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
}

static TimeSpan Percentile(long[] sorted, double quantile)
    => Stopwatch.GetElapsedTime(0, sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))]);

static string Embedded(string name)
{
    using var stream = typeof(RedisProcess).Assembly.GetManifestResourceStream($"Reference.{name}.lua")!;
    using var reader = new StreamReader(stream);
    return reader.ReadToEnd();
}

/// <summary>One measured run: calls per second, latency, and the server's EVALSHA microseconds per call.</summary>
internal readonly record struct Run(double PerSecond, TimeSpan P50, TimeSpan P99, double ServerMicroseconds);

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
