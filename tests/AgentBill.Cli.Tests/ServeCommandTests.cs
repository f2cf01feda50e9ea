using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill serve</c>: the budget server over the chosen store, in its own process.</summary>
public sealed class ServeCommandTests : IClassFixture<RedisCliFixture>, IDisposable
{
    private readonly RedisCliFixture _redis;
    private readonly TestWorkspace _workspace = new();

    public ServeCommandTests(RedisCliFixture redis) => _redis = redis;

    [Fact]
    public async Task Serve_on_a_free_loopback_port_answers_health()
    {
        await using var server = await ServeProcess.StartAsync(_workspace.Home, "--sqlite", _workspace.LedgerPath);
        using var http = server.Client(null);

        Assert.StartsWith("http://127.0.0.1:", server.Address.ToString(), StringComparison.Ordinal);
        var response = await http.GetAsync("health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_server_processes_on_one_Redis_approve_exactly_floor_B_over_E_between_them()
    {
        const int Budget = 50, Estimate = 3, Callers = 40;
        var (redis, _) = _redis.NewDatabase();
        Assert.Equal(0, (await _workspace.RunAsync("ledger", "init", "--redis", redis)).ExitCode);
        Assert.Equal(0, (await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", Budget.ToString(System.Globalization.CultureInfo.InvariantCulture), "-p", "month", "--redis", redis)).ExitCode);
        var made = await _workspace.RunAsync("keys", "create", "race", "--json", "--redis", redis);
        Assert.Equal(0, made.ExitCode);
        var key = made.Json.GetProperty("key").GetString();
        await using var first = await ServeProcess.StartAsync(_workspace.Home, "--redis", redis);
        await using var second = await ServeProcess.StartAsync(_workspace.Home, "--redis", redis);
        using var one = first.Client(key);
        using var two = second.Client(key);
        using var go = new SemaphoreSlim(0);

        var calls = Enumerable.Range(0, Callers).Select(async i =>
        {
            await go.WaitAsync(TestContext.Current.CancellationToken);
            var response = await (i % 2 == 0 ? one : two).PostAsJsonAsync("preflight", new { agent_id = "researcher", customer_id = "alice", estimated_units = Estimate }, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {first.Log}{second.Log}");
            return (bool)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["approved"]!;
        }).ToList();
        go.Release(Callers);
        var approvals = (await Task.WhenAll(calls)).Count(static approved => approved);

        Assert.Equal(Budget / Estimate, approvals);
        var budget = (await one.GetFromJsonAsync<JsonObject>("budget?customer_id=alice", TestContext.Current.CancellationToken))!;
        Assert.Equal(Budget / Estimate * Estimate, (long)budget["reserved"]!);
    }

    public void Dispose() => _workspace.Dispose();
}
