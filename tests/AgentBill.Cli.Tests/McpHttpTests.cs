using System.Diagnostics;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill mcp --http</c>: the same tools over streamable HTTP on loopback.</summary>
public sealed class McpHttpTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task The_http_server_answers_a_preflight_on_loopback()
    {
        var ct = TestContext.Current.CancellationToken;
        await _workspace.Client().SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), ct);
        var port = UnreachableStoreTests.ClosedPort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { CliProcess.DllPath, "mcp", "--http", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--sqlite", _workspace.LedgerPath })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENTBILL_HOME"] = _workspace.Home;
        using var server = Process.Start(start)!;
        try
        {
            // Ready when it says so: the line comes after the listener is bound.
            string? line;
            do
            {
                line = await server.StandardError.ReadLineAsync(ct);
            }
            while (line is not null && !line.Contains("serving", StringComparison.Ordinal));

            Assert.NotNull(line);
            await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp") }), cancellationToken: ct);
            var result = await client.CallToolAsync("preflight", new Dictionary<string, object?> { ["customerId"] = "alice", ["agentId"] = "researcher", ["estimatedUnits"] = 10 }, cancellationToken: ct);

            Assert.NotEqual(true, result.IsError);
            var answer = System.Text.Json.JsonDocument.Parse(string.Concat(result.Content.OfType<TextContentBlock>().Select(block => block.Text))).RootElement;
            Assert.True(answer.GetProperty("approved").GetBoolean());
            Assert.Equal(10, (await _workspace.Client().GetUsageAsync(BudgetScope.Customer("alice"), UsageMeter.Units, cancellationToken: ct)).Reserved);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(ct);
        }
    }

    public void Dispose() => _workspace.Dispose();
}
