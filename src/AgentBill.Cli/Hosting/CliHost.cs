using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AgentBill.Cli.Hosting;

/// <summary>
/// Everything a command touches outside itself: where it writes, what the environment says, where files live, and
/// a hook on the services of the store, so a test runs every command in-process with its own console and clock.
/// </summary>
internal sealed record CliHost
{
    /// <summary>Tables, colours and live views for a person; never used for <c>--json</c> or <c>--csv</c>.</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>Plain output for scripts (<c>--json</c>, <c>--csv</c>).</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Errors and usage: one line per failure.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Reads an environment variable (<c>AGENTBILL_REDIS</c>, <c>AGENTBILL_SQLITE</c>, <c>AGENTBILL_HOME</c>).</summary>
    public required Func<string, string?> Environment { get; init; }

    /// <summary>Whether a person can answer a question on this terminal.</summary>
    public bool Interactive { get; init; }

    /// <summary>Runs after the store is registered: a test replaces the clock or adds handlers here.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>The process's own console, environment and terminal.</summary>
    public static CliHost FromProcess() => new()
    {
        Console = AnsiConsole.Console,
        Out = System.Console.Out,
        Error = System.Console.Error,
        Environment = System.Environment.GetEnvironmentVariable,
        Interactive = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected,
    };

    /// <summary>
    /// The folder of the tool's own files (the applied price file): <c>AGENTBILL_HOME</c>, else <c>.agentbill</c> in the
    /// user's home folder.
    /// </summary>
    public string HomeDirectory => Environment("AGENTBILL_HOME") is { Length: > 0 } home
        ? home
        : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".agentbill");
}
