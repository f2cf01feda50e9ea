using System.CommandLine;

namespace AgentBill.Cli.Commands;

/// <summary>Options several commands take, made and checked the same way everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Write JSON for scripts instead of a table." };

    public static Option<UsageMeter?> Meter(string description) => new("--meter", "-m") { Description = description + " (units, tokens or microUsd)." };

    public static Option<string> Customer(string description) => new("--customer", "-c") { Description = description, HelpName = "id" };

    public static Argument<string> CustomerArgument() => new("customer") { Description = "The customer's id." };

    /// <summary>An optional customer filter, validated as an id when it is given.</summary>
    public static string? ReadCustomer(this ParseResult parse, Option<string> option)
    {
        var id = parse.GetValue(option);
        if (id is not null)
        {
            _ = BudgetScope.Customer(id);
        }

        return id;
    }

    /// <summary>Adds a parse-time range check, so a value out of range is a usage error (exit 2) before anything runs.</summary>
    public static Option<T> InRange<T>(this Option<T> option, Func<T, bool> accepts, string rule)
    {
        option.Validators.Add(result =>
        {
            if (!accepts(result.GetValueOrDefault<T>()))
            {
                result.AddError($"{option.Name} {rule}.");
            }
        });
        return option;
    }
}
