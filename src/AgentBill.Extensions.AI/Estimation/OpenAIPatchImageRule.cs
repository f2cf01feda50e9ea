namespace AgentBill.Extensions.AI;

/// <summary>
/// OpenAI's patch model for GPT-4.1 mini and nano, o4-mini and GPT-5 mini and nano
/// (platform.openai.com/docs/guides/images-vision, "Calculating costs"): the image is cut into 32 × 32 px
/// patches, at most 1,536 (a larger image is scaled down to fit), and the patches are multiplied by the model's
/// rate (1.62 for GPT-4.1 mini, 2.46 for GPT-4.1 nano, 1.72 for o4-mini). Detail does not lower the count.
/// </summary>
/// <param name="multiplierPerMille">The model's multiplier in thousandths: 1.62 is 1,620.</param>
internal sealed class OpenAIPatchImageRule(long multiplierPerMille) : ImageTokenRule
{
    private const long Patch = 32;
    private const long MostPatches = 1_536;

    /// <inheritdoc />
    public override long Tokens(ImageSize? size, bool lowDetail)
    {
        var patches = size is { } image
            ? Math.Min(MostPatches, Ceiling(image.Width, Patch) * Ceiling(image.Height, Patch))
            : MostPatches;
        return Ceiling(patches * multiplierPerMille, 1_000);
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;
}
