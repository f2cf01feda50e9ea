namespace AgentBill.Extensions.AI;

/// <summary>
/// Anthropic's rule (platform.claude.com/docs/en/build-with-claude/vision, "Calculate image costs"): an image
/// costs about width × height / 750 tokens after it is scaled down to the model's limit, which caps an image at
/// about 1,600 tokens (long edge 1,568 px) on Claude 3 to Claude 4.6 and about 4,784 tokens (long edge 2,576 px)
/// on Claude Opus 4.7 and later. Scaling only lowers the area, so the area of the image as sent, capped, bounds it.
/// </summary>
/// <param name="mostTokens">The most one image costs on the model.</param>
internal sealed class AnthropicImageRule(long mostTokens) : ImageTokenRule
{
    private const long PixelsPerToken = 750;

    /// <inheritdoc />
    public override long Tokens(ImageSize? size, bool lowDetail)
        => size is { } image
            ? Math.Min(mostTokens, (((long)image.Width * image.Height) + PixelsPerToken - 1) / PixelsPerToken)
            : mostTokens;
}
