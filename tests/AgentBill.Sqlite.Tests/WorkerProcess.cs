using System.Diagnostics;
using System.Reflection;

namespace AgentBill.Sqlite.Tests;

/// <summary>Starts the test worker as a separate OS process.</summary>
internal static class WorkerProcess
{
    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(WorkerPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>The worker is built beside the tests, in the same configuration.</summary>
    private static string WorkerPath([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        var configuration = typeof(WorkerProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, "..", "AgentBill.Sqlite.Tests.Worker", "bin", configuration, "net10.0", "AgentBill.Sqlite.Tests.Worker.dll"));
        Assert.True(File.Exists(path), "The worker is not built: " + path);
        return path;
    }
}
