using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>
/// Chooses the image rule of a model by its id: the listed family it is, or a dated snapshot of
/// (<c>gpt-4o-mini-2024-07-18</c> is <c>gpt-4o-mini</c>), ignoring a routing prefix. A model no rule lists gets
/// the conservative default: a rule is never guessed from a similar name.
/// </summary>
internal static class ImageTokenRules
{
    /// <summary>The most one image costs on Claude Opus 4.7 and later (long edge 2,576 px).</summary>
    public const long ClaudeHighResolutionTokens = 4_784;

    private const long ClaudeTokens = 1_600;
    private const long Gemini3Tokens = 1_120;

    // platform.openai.com/docs/guides/images-vision, "Calculating costs": base and tile tokens of the tile
    // models, multipliers of the patch models.
    private static readonly Dictionary<string, ImageTokenRule> OpenAI = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt-4o"] = new OpenAITileImageRule(85, 170),
        ["chatgpt-4o-latest"] = new OpenAITileImageRule(85, 170),
        ["gpt-4.1"] = new OpenAITileImageRule(85, 170),
        ["gpt-4.5-preview"] = new OpenAITileImageRule(85, 170),
        ["gpt-4-turbo"] = new OpenAITileImageRule(85, 170),
        ["gpt-4o-mini"] = new OpenAITileImageRule(2_833, 5_667),
        ["gpt-5"] = new OpenAITileImageRule(70, 140),
        ["gpt-5-chat-latest"] = new OpenAITileImageRule(70, 140),
        ["o1"] = new OpenAITileImageRule(75, 150),
        ["o1-pro"] = new OpenAITileImageRule(75, 150),
        ["o3"] = new OpenAITileImageRule(75, 150),
        ["computer-use-preview"] = new OpenAITileImageRule(65, 129),
        ["gpt-4.1-mini"] = new OpenAIPatchImageRule(1_620),
        ["gpt-4.1-nano"] = new OpenAIPatchImageRule(2_460),
        ["gpt-5-mini"] = new OpenAIPatchImageRule(1_620),
        ["gpt-5-nano"] = new OpenAIPatchImageRule(2_460),
        ["o4-mini"] = new OpenAIPatchImageRule(1_720),
        ["codex-mini-latest"] = new OpenAIPatchImageRule(1_720),
    };

    // Claude 3 to Claude 4.6 read images up to 1,568 px on the long edge; later Claude models read larger ones.
    private static readonly Dictionary<string, bool> StandardResolutionClaude = new[]
    {
        "claude-3-haiku", "claude-3-sonnet", "claude-3-opus", "claude-3-5-haiku", "claude-3-5-sonnet", "claude-3-7-sonnet",
        "claude-4-opus", "claude-4-sonnet", "claude-opus-4", "claude-opus-4-1", "claude-opus-4-5", "claude-opus-4-6",
        "claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6", "claude-haiku-4-5",
    }.ToDictionary(static id => id, static _ => true, StringComparer.OrdinalIgnoreCase);

    /// <summary>The rule for a model, or <see langword="null"/> when no published rule covers it.</summary>
    public static ImageTokenRule? For(string? modelId, long unknownSizeTokens)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return null;
        }

        if (ModelIds.TryMatch(OpenAI, modelId, out var family))
        {
            return OpenAI[family];
        }

        var id = ModelIds.Normalize(modelId);
        if (id.StartsWith("claude-", StringComparison.OrdinalIgnoreCase))
        {
            // A Claude model not listed as standard is newer: it gets the larger bound.
            return new AnthropicImageRule(ModelIds.TryMatch(StandardResolutionClaude, id, out _) ? ClaudeTokens : ClaudeHighResolutionTokens);
        }

        return GeminiMajorVersion(id) switch
        {
            >= 3 => new FixedImageRule(Gemini3Tokens),
            2 => new GeminiTileImageRule(unknownSizeTokens),
            _ => null,
        };
    }

    /// <summary>The major version of a Gemini id (<c>gemini-2.5-flash</c> is 2), or 0 for another model or an alias such as <c>gemini-flash-latest</c>.</summary>
    private static int GeminiMajorVersion(string id)
    {
        const string Prefix = "gemini-";
        if (!id.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var digits = 0;
        while (Prefix.Length + digits < id.Length && char.IsAsciiDigit(id[Prefix.Length + digits]))
        {
            digits++;
        }

        return digits > 0 && int.TryParse(id.AsSpan(Prefix.Length, digits), System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : 0;
    }
}
