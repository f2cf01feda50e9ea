using System.Net;
using System.Net.Sockets;

namespace AgentBill.Cli.Tests;

/// <summary>A store that cannot be reached is one line and exit 3, never a stack trace.</summary>
public sealed class UnreachableStoreTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task A_redis_nobody_listens_on_is_one_line_and_exit_3()
    {
        var run = await _workspace.RunAsync("budget", "set", "--customer", "alice", "--limit", "5", "--period", "day", "--redis", $"127.0.0.1:{ClosedPort()},connectTimeout=500");

        Assert.Equal(3, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("agentbill: the store cannot be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sqlite_file_in_a_missing_folder_is_one_line()
    {
        var run = await _workspace.RunAsync("budget", "get", "--customer", "alice", "--sqlite", Path.Combine(_workspace.Folder, "missing", "ledger.db"));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _workspace.Dispose();
}
