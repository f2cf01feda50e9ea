using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgentBill.Redis.Tests;

/// <summary>
/// A real redis-server this test run starts on a free loopback port in a temporary folder, and stops. It is
/// ready when it says so on its output; nothing waits on the clock for it.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string[] _extraArguments;
    private Process? _process;

    private RedisServer(int port, string directory, string[] extraArguments)
    {
        Port = port;
        Directory = directory;
        _extraArguments = extraArguments;
    }

    public int Port { get; }

    public string Directory { get; }

    public string EndPoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(params string[] extraArguments)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("agentbill-redis-").FullName;
        var server = new RedisServer(FreePort(), directory, extraArguments);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="Kill"/>) on the same port and folder.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory, "--save", "", "--protected-mode", "no" }.Concat(_extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) =>
        {
            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        _process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("redis-server exited: " + output));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server at once, as a crash or a lost machine would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>Stops the server without closing its sockets (SIGSTOP), as a stalled machine would: commands queue up unanswered.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen server run again (SIGCONT); it then answers everything queued meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A folder still in use is left to the system's temporary-file cleanup.
        }

        return default;
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} failed with exit code {kill.ExitCode}.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
