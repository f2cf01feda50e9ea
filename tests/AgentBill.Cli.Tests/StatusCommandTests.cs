namespace AgentBill.Cli.Tests;

public sealed class StatusCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Status_shows_usage_holds_what_is_left_and_why_the_last_call_was_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _workspace.Client();
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), ct);
        await client.RecordAsync(new RecordRequest("researcher", 30) { CustomerId = "alice" }, ct);
        var held = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 20 }, ct);
        var refused = await client.PreflightAsync(new PreflightRequest("writer") { CustomerId = "alice", EstimatedUnits = 80 }, ct);
        Assert.True(held.Approved);
        Assert.False(refused.Approved);

        var run = await _workspace.SqliteAsync("status", "alice", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var budget = Assert.Single(run.Json.GetProperty("budgets").EnumerateArray());
        Assert.Equal((100, 30, 20, 50), (budget.GetProperty("limit").GetInt64(), budget.GetProperty("used").GetInt64(), budget.GetProperty("reserved").GetInt64(), budget.GetProperty("remaining").GetInt64()));
        var month = run.Json.GetProperty("usage").EnumerateArray().Single(line => line.GetProperty("period").GetString() == "month");
        Assert.Equal((30, 20), (month.GetProperty("used").GetInt64(), month.GetProperty("reserved").GetInt64()));
        var hold = Assert.Single(run.Json.GetProperty("openHolds").EnumerateArray());
        Assert.Equal(held.ReservationId, hold.GetProperty("reservationId").GetString());
        var refusal = run.Json.GetProperty("lastRefusal");
        Assert.Equal("budgetExhausted", refusal.GetProperty("reason").GetString());
        Assert.Equal("writer", refusal.GetProperty("agentId").GetString());
        Assert.Equal(80, refusal.GetProperty("requested").GetInt64());
    }

    [Fact]
    public async Task Status_of_a_customer_with_nothing_is_empty_not_an_error()
    {
        var run = await _workspace.SqliteAsync("status", "nobody", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.Json.GetProperty("budgets").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, run.Json.GetProperty("lastRefusal").ValueKind);
    }

    [Fact]
    public async Task Status_table_names_the_refusal_for_a_person()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _workspace.Client();
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 10, BudgetPeriod.Day), ct);
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 11 }, ct);

        var run = await _workspace.SqliteAsync("status", "alice");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Last refusal: BudgetExhausted", run.Console, StringComparison.Ordinal);
    }

    public void Dispose() => _workspace.Dispose();
}
