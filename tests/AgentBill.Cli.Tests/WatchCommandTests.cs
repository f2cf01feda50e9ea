using System.Text.Json;

namespace AgentBill.Cli.Tests;

public sealed class WatchCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Watch_json_writes_one_line_per_read_with_totals_rates_usage_and_refusals()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _workspace.Client();
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 10, BudgetPeriod.Day), ct);
        for (var i = 0; i < 3; i++)
        {
            await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 3 }, ct);
        }

        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 3 }, ct);

        var run = await _workspace.SqliteAsync("watch", "--json", "--count", "2", "--interval", "0.01");

        Assert.True(run.ExitCode == 0, run.ToString());
        var reads = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal(2, reads.Count);
        Assert.Equal((3, 1), (reads[0].GetProperty("approved").GetInt64(), reads[0].GetProperty("refused").GetInt64()));
        Assert.Equal(JsonValueKind.Null, reads[0].GetProperty("approvedPerSecond").ValueKind);
        Assert.Equal(0, reads[1].GetProperty("approvedPerSecond").GetDouble());
        var usage = Assert.Single(reads[0].GetProperty("usage").EnumerateArray());
        Assert.Equal(9, usage.GetProperty("reserved").GetInt64());
        Assert.Equal("budgetExhausted", Assert.Single(reads[0].GetProperty("recentRefusals").EnumerateArray()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_interval_of_zero_exits_2()
    {
        Assert.Equal(2, (await _workspace.SqliteAsync("watch", "--interval", "0")).ExitCode);
    }

    public void Dispose() => _workspace.Dispose();
}
