using AgentBill.Cli.Hosting;
using Spectre.Console;

namespace AgentBill.Cli.Output;

/// <summary>A spinner on long reads and sweeps when a person watches; nothing when output goes to a file or a test.</summary>
internal static class Busy
{
    public static Task RunAsync(CliHost host, string what, Func<Task> work)
        => host.Interactive
            ? host.Console.Status().StartAsync(what + "...", _ => work())
            : work();
}
