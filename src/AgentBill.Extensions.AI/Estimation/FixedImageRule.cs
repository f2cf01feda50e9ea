namespace AgentBill.Extensions.AI;

/// <summary>
/// One count for every image: Gemini 3's published per-image budget (1,120 tokens at the default, high media
/// resolution; ai.google.dev/gemini-api/docs/media-resolution), or the conservative default for a model no
/// published rule covers.
/// </summary>
/// <param name="tokens">The tokens of every image.</param>
internal sealed class FixedImageRule(long tokens) : ImageTokenRule
{
    /// <inheritdoc />
    public override long Tokens(ImageSize? size, bool lowDetail) => tokens;
}
