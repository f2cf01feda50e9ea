using System.Globalization;
using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>
/// What the server itself counted, from <c>INFO commandstats</c>: how many commands ran (scripts' own calls
/// included) and how long the scripts took on the server. Work, not wall-clock time of the test.
/// </summary>
internal sealed record ServerStats(long Scripts, long ScriptMicroseconds, long Commands)
{
    public double CommandsPerScript => (double)Commands / Scripts;

    public double MicrosecondsPerScript => (double)ScriptMicroseconds / Scripts;

    public static async Task ResetAsync(IServer server) => await server.ExecuteAsync("CONFIG", "RESETSTAT");

    /// <summary>The statistics since the last reset.</summary>
    public static async Task<ServerStats> ReadAsync(IServer server)
    {
        var info = (string)(await server.ExecuteAsync("INFO", "commandstats"))!;
        long scripts = 0, microseconds = 0, commands = 0;
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("cmdstat_", StringComparison.Ordinal)))
        {
            var name = line["cmdstat_".Length..line.IndexOf(':', StringComparison.Ordinal)];
            var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',').Select(part => part.Split('=')).ToDictionary(part => part[0], part => part[1]);
            var calls = long.Parse(fields["calls"], CultureInfo.InvariantCulture);
            if (name is "evalsha" or "eval" or "fcall")
            {
                scripts += calls;
                microseconds += long.Parse(fields["usec"], CultureInfo.InvariantCulture);
            }
            else if (!name.StartsWith("config", StringComparison.Ordinal) && name is not "info" and not "select")
            {
                commands += calls;
            }
        }

        return new ServerStats(scripts, microseconds, commands);
    }
}
