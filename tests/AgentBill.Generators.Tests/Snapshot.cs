using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace AgentBill.Generators.Tests;

/// <summary>
/// Compares generated source with a committed <c>Snapshots/NAME.verified.cs</c>. On a difference it writes
/// <c>NAME.received.cs</c> beside it and fails; accept a change by renaming received to verified.
/// </summary>
internal static partial class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.cs");
        var received = Path.Combine(folder, name + ".received.cs");
        var scrubbed = Scrub(actual);
        if (File.Exists(verified) && File.ReadAllText(verified).ReplaceLineEndings("\n") == scrubbed)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, scrubbed);
        Assert.Fail($"Generated source differs from {verified}; see {received}.");
    }

    /// <summary>Location data holds a checksum of the calling file: replace it so snapshots show only the shape.</summary>
    private static string Scrub(string source)
        => LocationData().Replace(source.ReplaceLineEndings("\n"), "InterceptsLocation($1, \"{location}\")")
            .Replace(typeof(GateGenerator).Assembly.GetName().Version!.ToString(), "{version}", StringComparison.Ordinal);

    [GeneratedRegex("InterceptsLocation\\((\\d+), \"[^\"]*\"\\)")]
    private static partial Regex LocationData();
}
