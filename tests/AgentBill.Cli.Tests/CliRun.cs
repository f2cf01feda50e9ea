using System.Text.Json;

namespace AgentBill.Cli.Tests;

/// <summary>What one run of the tool left: its exit code, its plain output, its error output and what its console showed.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error, string Console)
{
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\nout: {Out}\nerror: {Error}\nconsole: {Console}";
}
