using System.Diagnostics;

namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill serve … --port 0</c> in its own process, with the address it printed once bound.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();
    private readonly Task[] _drains;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;

        // Drained for good: a server whose full pipe nobody reads would block on its next log line.
        _drains = [Drain(process.StandardError, _log), Drain(process.StandardOutput, _log)];
    }

    public Uri Address { get; }

    /// <summary>What the server wrote since it listened (its console log: warnings and errors).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string home, params string[] storeArguments)
    {
        var ct = TestContext.Current.CancellationToken;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { CliProcess.DllPath, "serve", "--port", "0" }.Concat(storeArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENTBILL_HOME"] = home;
        var process = Process.Start(start)!;
        try
        {
            // The server names its address once the listener is bound (port 0: the one the system picked).
            const string Marker = "listening on ";
            string? line;
            do
            {
                line = await process.StandardError.ReadLineAsync(ct);
            }
            while (line is not null && !line.Contains(Marker, StringComparison.Ordinal));

            Assert.True(line is not null, "agentbill serve ended before it listened.");
            var url = line[(line.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Split(' ')[0];
            return new ServeProcess(process, new Uri(url + "/"));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static Task Drain(StreamReader reader, System.Text.StringBuilder? log) => Task.Run(async () =>
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (log is not null)
            {
                lock (log)
                {
                    log.AppendLine(line);
                }
            }
        }
    });

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await Task.WhenAll(_drains);
        _process.Dispose();
    }
}
