using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill mcp</c> spawned as a process and driven over stdio by the MCP SDK's own client.</summary>
public sealed class McpServerTests : IAsyncLifetime, IDisposable
{
    private readonly TestWorkspace _workspace = new();
    private McpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _workspace.Client().SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), TestContext.Current.CancellationToken);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "agentbill",
            Command = "dotnet",
            Arguments = [CliProcess.DllPath, "mcp", "--sqlite", _workspace.LedgerPath],
            EnvironmentVariables = new Dictionary<string, string?> { ["AGENTBILL_HOME"] = _workspace.Home },
        });
        _client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_four_tools_are_listed_with_their_required_inputs()
    {
        var tools = await _client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["preflight", "record", "release", "status"], tools.Select(tool => tool.Name).Order(StringComparer.Ordinal));
        var preflight = tools.Single(tool => tool.Name == "preflight").JsonSchema;
        Assert.Equal(["agentId", "customerId", "estimatedUnits"], preflight.GetProperty("required").EnumerateArray().Select(name => name.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal("integer", preflight.GetProperty("properties").GetProperty("estimatedUnits").GetProperty("type").GetString());
        var record = tools.Single(tool => tool.Name == "record").JsonSchema;
        Assert.Contains("reservationId", record.GetProperty("required").EnumerateArray().Select(name => name.GetString()));
    }

    [Fact]
    public async Task A_preflight_holds_and_a_record_settles_it()
    {
        var ct = TestContext.Current.CancellationToken;

        var preflight = await CallAsync("preflight", new() { ["customerId"] = "alice", ["agentId"] = "researcher", ["estimatedUnits"] = 40 });
        Assert.True(preflight.GetProperty("approved").GetBoolean());
        var reservationId = preflight.GetProperty("reservationId").GetString()!;
        var held = await _workspace.Client().GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.Units, cancellationToken: ct);
        Assert.Equal(40, held.Reserved);

        var record = await CallAsync("record", new() { ["customerId"] = "alice", ["agentId"] = "researcher", ["reservationId"] = reservationId, ["usedUnits"] = 25 });
        Assert.Equal(25, record.GetProperty("units").GetInt64());
        Assert.Equal(reservationId, record.GetProperty("settledReservationId").GetString());
        var settled = await _workspace.Client().GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.Units, cancellationToken: ct);
        Assert.Equal((25, 0), (settled.Used, settled.Reserved));
    }

    [Fact]
    public async Task A_spent_budget_is_a_refusal_result_with_the_reason_not_an_error()
    {
        await _workspace.Client().RecordAsync(new RecordRequest("researcher", 100) { CustomerId = "alice" }, TestContext.Current.CancellationToken);

        var result = await _client.CallToolAsync("preflight", new Dictionary<string, object?> { ["customerId"] = "alice", ["agentId"] = "researcher", ["estimatedUnits"] = 10 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(true, result.IsError);
        var answer = Structured(result);
        Assert.False(answer.GetProperty("approved").GetBoolean());
        Assert.Equal("budgetExhausted", answer.GetProperty("reason").GetString());
        Assert.Equal("untilPeriodEnds", answer.GetProperty("persistence").GetString());
        Assert.True(answer.GetProperty("waitingHelps").GetBoolean());
        Assert.Equal(0, answer.GetProperty("remainingUnits").GetInt64());
    }

    [Fact]
    public async Task A_malformed_call_is_an_error_result_and_charges_nothing()
    {
        var ct = TestContext.Current.CancellationToken;

        var wrongType = await _client.CallToolAsync("preflight", new Dictionary<string, object?> { ["customerId"] = "alice", ["agentId"] = "researcher", ["estimatedUnits"] = "lots" }, cancellationToken: ct);
        var negative = await _client.CallToolAsync("record", new Dictionary<string, object?> { ["customerId"] = "alice", ["agentId"] = "researcher", ["reservationId"] = "r-1", ["usedUnits"] = -5 }, cancellationToken: ct);
        var missing = await _client.CallToolAsync("record", new Dictionary<string, object?> { ["customerId"] = "alice", ["agentId"] = "researcher" }, cancellationToken: ct);

        Assert.True(wrongType.IsError);
        Assert.True(negative.IsError);
        Assert.Contains("units", Text(negative), StringComparison.OrdinalIgnoreCase);
        Assert.True(missing.IsError);
        var usage = await _workspace.Client().GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.Units, cancellationToken: ct);
        Assert.Equal((0, 0), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task Release_frees_the_hold_and_status_reads_the_customer()
    {
        var preflight = await CallAsync("preflight", new() { ["customerId"] = "alice", ["agentId"] = "researcher", ["estimatedUnits"] = 30 });

        var release = await CallAsync("release", new() { ["customerId"] = "alice", ["reservationId"] = preflight.GetProperty("reservationId").GetString() });
        var again = await CallAsync("release", new() { ["customerId"] = "alice", ["reservationId"] = preflight.GetProperty("reservationId").GetString() });

        Assert.True(release.GetProperty("released").GetBoolean());
        Assert.False(again.GetProperty("released").GetBoolean());
        var usage = await _workspace.Client().GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.Units, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(0, usage.Reserved);
    }

    private async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        var result = await _client.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError != true, Text(result));
        return Structured(result);
    }

    private static JsonElement Structured(CallToolResult result) => JsonDocument.Parse(Text(result)).RootElement;

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text));

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    public void Dispose() => _workspace.Dispose();
}
