using System.Diagnostics;
using System.Reflection;
using Xunit;

namespace AgentBill.Testing;

/// <summary>Starts a store's test worker as a separate OS process, for the tests that need several processes on one ledger.</summary>
public static class WorkerProcesses
{
    /// <summary>Starts a worker built beside the tests, in the same configuration.</summary>
    /// <param name="worker">The worker's project, such as <c>AgentBill.Redis.Tests.Worker</c> (a folder under <c>tests/</c>).</param>
    /// <param name="arguments">What the worker is told to do.</param>
    public static Process Start(string worker, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(WorkerPath(worker));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>
    /// Runs the <c>contend</c> mode of a worker in several processes at once on one ledger (<c>tests/Shared/ContendWorker.cs</c>
    /// in each worker): every process's callers preflight together; once every process has answered, <paramref name="whileHeld"/>
    /// runs, then every process settles its holds and exits.
    /// </summary>
    /// <param name="processes">How many worker processes.</param>
    /// <param name="start">Starts one worker process in <c>contend</c> mode.</param>
    /// <param name="whileHeld">What the test reads while every approved hold is still held.</param>
    /// <returns>The holds approved and the units committed, summed over the processes.</returns>
    public static async Task<(long Approved, long Committed)> ContendAsync(int processes, Func<Process> start, Func<Task> whileHeld)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(whileHeld);
        var workers = Enumerable.Range(0, processes).Select(_ => start()).ToList();
        var approvals = await Task.WhenAll(workers.Select(async worker => await worker.StandardOutput.ReadLineAsync() ?? "worker failed: " + await worker.StandardError.ReadToEndAsync()));
        await whileHeld();
        foreach (var worker in workers)
        {
            await worker.StandardInput.WriteLineAsync("commit");
        }

        var commits = await Task.WhenAll(workers.Select(async worker =>
        {
            var line = await worker.StandardOutput.ReadLineAsync();
            await worker.WaitForExitAsync();
            Assert.True(worker.ExitCode == 0, await worker.StandardError.ReadToEndAsync());
            return line!;
        }));

        return (approvals.Sum(line => Field(line, "approved")), commits.Sum(line => Field(line, "committed")));
    }

    private static long Field(string line, string name)
    {
        Assert.StartsWith(name + "=", line, StringComparison.Ordinal);
        return long.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string WorkerPath(string worker, [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        var configuration = typeof(WorkerProcesses).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", worker, "bin", configuration, "net10.0", worker + ".dll"));
        Assert.True(File.Exists(path), "The worker is not built: " + path);
        return path;
    }
}
