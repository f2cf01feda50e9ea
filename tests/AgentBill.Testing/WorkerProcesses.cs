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

    private static string WorkerPath(string worker, [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        var configuration = typeof(WorkerProcesses).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", worker, "bin", configuration, "net10.0", worker + ".dll"));
        Assert.True(File.Exists(path), "The worker is not built: " + path);
        return path;
    }
}
