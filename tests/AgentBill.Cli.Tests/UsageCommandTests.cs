namespace AgentBill.Cli.Tests;

public sealed class UsageCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Usage_json_lists_settled_and_held_units_per_scope()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _workspace.Client();
        await client.RecordAsync(new RecordRequest("researcher", 30) { CustomerId = "alice" }, ct);
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 5 }, ct);
        await client.RecordAsync(new RecordRequest("writer", 12) { CustomerId = "bob" }, ct);

        var run = await _workspace.SqliteAsync("usage", "--customer", "alice", "--period", "lifetime", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = run.Json.EnumerateArray().ToList();
        Assert.All(rows, row => Assert.Equal("alice", row.GetProperty("scope").GetProperty("customerId").GetString()));
        var customer = rows.Single(row => row.GetProperty("scope").GetProperty("kind").GetString() == "customer");
        Assert.Equal((30, 5), (customer.GetProperty("used").GetInt64(), customer.GetProperty("reserved").GetInt64()));
        var agent = rows.Single(row => row.GetProperty("scope").GetProperty("kind").GetString() == "agent");
        Assert.Equal("researcher", agent.GetProperty("scope").GetProperty("agentId").GetString());
    }

    [Fact]
    public async Task Usage_csv_is_one_row_per_customer_for_invoicing()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _workspace.Client();
        await client.RecordAsync(new RecordRequest("researcher", 2_500_000) { CustomerId = "alice", Meter = UsageMeter.MicroUsd }, ct);
        await client.RecordAsync(new RecordRequest("researcher", 700_000) { CustomerId = "acme, inc.", Meter = UsageMeter.MicroUsd }, ct);

        var run = await _workspace.SqliteAsync("usage", "--by", "customer", "--meter", "microUsd", "--period", "month", "--csv");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("customer,kind,agent,task,meter,period,used,reserved", lines[0]);
        var month = $"m:{DateTime.UtcNow:yyyy-MM}";
        Assert.Contains($"alice,customer,,,microUsd,{month},2500000,0", lines);
        Assert.Contains($"\"acme, inc.\",customer,,,microUsd,{month},700000,0", lines);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task A_period_that_is_not_one_exits_2()
    {
        var run = await _workspace.SqliteAsync("usage", "--period", "fortnight", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--period", run.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_and_csv_together_exit_2()
    {
        Assert.Equal(2, (await _workspace.SqliteAsync("usage", "--json", "--csv")).ExitCode);
    }

    public void Dispose() => _workspace.Dispose();
}
