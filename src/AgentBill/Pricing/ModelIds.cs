using System.Diagnostics.CodeAnalysis;

namespace AgentBill.Pricing;

/// <summary>
/// Finds the priced model a model id names. Providers report ids in many spellings: dated snapshots
/// (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-20250514</c>), routed names (<c>openai/gpt-4o</c>,
/// <c>models/gemini-2.5-pro</c>), Bedrock and Vertex names (<c>us.anthropic.claude-3-5-haiku-20241022-v1:0</c>,
/// <c>claude-3-5-sonnet@20240620</c>). Anything else is not guessed: a variant such as <c>gpt-4o-audio-preview</c>
/// has its own price and stays unknown until it is priced.
/// </summary>
internal static class ModelIds
{
    public static bool TryMatch<T>(IReadOnlyDictionary<string, T> prices, string modelId, [NotNullWhen(true)] out string? key)
    {
        var id = Normalize(modelId);
        key = null;
        foreach (var candidate in prices.Keys)
        {
            if (candidate.Equals(id, StringComparison.OrdinalIgnoreCase))
            {
                key = candidate;
                return true;
            }

            // The longest priced name wins, so gpt-4o-mini-2024-07-18 is gpt-4o-mini and not gpt-4o.
            if (candidate.Length < id.Length
                && (key is null || candidate.Length > key.Length)
                && id.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                && IsSnapshotSuffix(id.AsSpan(candidate.Length)))
            {
                key = candidate;
            }
        }

        return key is not null;
    }

    /// <summary>The id without a routing prefix (<c>openai/</c>) or a Bedrock vendor and region (<c>us.anthropic.</c>).</summary>
    public static string Normalize(string modelId)
    {
        var id = modelId.Trim();
        var slash = id.LastIndexOf('/');
        if (slash >= 0)
        {
            id = id[(slash + 1)..];
        }

        // Bedrock prefixes the vendor, and a cross-region profile also prefixes the region: us.anthropic.claude-...
        const string Vendor = "anthropic.";
        var vendor = id.IndexOf(Vendor, StringComparison.OrdinalIgnoreCase);
        return vendor >= 0 ? id[(vendor + Vendor.Length)..] : id;
    }

    /// <summary>
    /// A dated or numbered snapshot (<c>-2024-08-06</c>, <c>-0613</c>, <c>-002</c>, <c>@20240620</c>), a Bedrock or
    /// Vertex version tag (<c>-v1:0</c>, <c>-v2@20241022</c>), <c>-latest</c>, or a preview or experimental build.
    /// </summary>
    private static bool IsSnapshotSuffix(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || rest[0] is not ('-' or '@' or ':'))
        {
            return false;
        }

        var tail = rest[1..];
        var digits = 0;
        while (digits < tail.Length && char.IsAsciiDigit(tail[digits]))
        {
            digits++;
        }

        // Three digits at least: "-5" in claude-sonnet-4-5 is a different model, "-002" or "-0613" is a snapshot.
        return digits >= 3
            || (tail.Length >= 2 && tail[0] is 'v' or 'V' && char.IsAsciiDigit(tail[1]))
            || tail.Equals("latest", StringComparison.OrdinalIgnoreCase)
            || tail.StartsWith("preview", StringComparison.OrdinalIgnoreCase)
            || tail.StartsWith("exp", StringComparison.OrdinalIgnoreCase);
    }
}
