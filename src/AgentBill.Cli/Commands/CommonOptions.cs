using System.CommandLine;

namespace AgentBill.Cli.Commands;

/// <summary>Options several commands take, made the same way everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write JSON for scripts instead of a table." };

    public static Option<UsageMeter?> Meter(string description) => new("--meter", "-m") { Description = description + " (units, tokens or microUsd)." };

    public static Option<string> Customer(string description) => new("--customer", "-c") { Description = description, HelpName = "id" };

    public static Argument<string> CustomerArgument() => new("customer") { Description = "The customer's id." };
}
