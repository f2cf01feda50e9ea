using System.CommandLine;
using AgentBill.Cli.Hosting;

namespace AgentBill.Cli.Commands;

/// <summary>
/// <c>--period</c> for reports: <c>day</c>, <c>week</c>, <c>month</c> (the current one), <c>lifetime</c>, or a period's
/// name as the ledger keeps it (<c>m:2026-11</c>, <c>w:2026-W47</c>, <c>d:2026-11-30</c>, <c>all</c>) for a past one.
/// </summary>
internal sealed class PeriodOption
{
    private readonly Option<string> _option = new("--period", "-p")
    {
        Description = "day, week, month (the current one), lifetime, or a period's name such as m:2026-11 for a past one; every period kept by default.",
        HelpName = "period",
    };

    public Option<string> Option => _option;

    /// <summary>The period's name, or <see langword="null"/> for every period.</summary>
    public string? Read(ParseResult parse, PeriodCalendar calendar, DateTimeOffset now)
    {
        var value = parse.GetValue(_option);
        if (value is null)
        {
            return null;
        }

        var keys = calendar.KeysAt(now);
        return value.ToUpperInvariant() switch
        {
            "DAY" => keys.Day,
            "WEEK" => keys.Week,
            "MONTH" => keys.Month,
            "LIFETIME" => PeriodKeys.Lifetime,
            _ => Named(value),
        };
    }

    private static string Named(string value)
    {
        try
        {
            _ = PeriodKeys.KindOf(value);
            return value;
        }
        catch (ArgumentException)
        {
            throw new CliException(ExitCodes.BadArguments, $"--period: '{value}' is not day, week, month, lifetime or a period's name such as m:2026-11.");
        }
    }
}
