using System.Diagnostics;

namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill serve</c>: the budget server over the chosen store, in its own process.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Serve_on_a_free_loopback_port_answers_health()
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { CliProcess.DllPath, "serve", "--port", "0", "--sqlite", _workspace.LedgerPath })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENTBILL_HOME"] = _workspace.Home;
        using var server = Process.Start(start)!;
        try
        {
            // The server names its address once the listener is bound (port 0: the one the system picked).
            const string Marker = "listening on ";
            string? line;
            do
            {
                line = await server.StandardError.ReadLineAsync(ct);
            }
            while (line is not null && !line.Contains(Marker, StringComparison.Ordinal));

            Assert.NotNull(line);
            var url = line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Split(' ')[0];
            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            var response = await http.GetAsync("/health", ct);

            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("\"status\":\"ok\"", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(ct);
        }
    }

    public void Dispose() => _workspace.Dispose();
}
