using System.Diagnostics;

namespace AgentBill.Cli.Tests;

/// <summary>The built tool run as a real process: <c>dotnet AgentBill.Cli.dll ...</c>.</summary>
internal static class CliProcess
{
    /// <summary>The tool's entry assembly, built beside the tests.</summary>
    public static string DllPath
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "AgentBill.Cli.dll");
            Assert.True(File.Exists(path), "The tool is not built: " + path);
            return path;
        }
    }

    public static async Task<CliRun> RunAsync(string home, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(DllPath);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AGENTBILL_HOME"] = home;
        start.Environment.Remove("AGENTBILL_REDIS");
        start.Environment.Remove("AGENTBILL_SQLITE");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliRun(process.ExitCode, await output, await error, string.Empty);
    }
}
