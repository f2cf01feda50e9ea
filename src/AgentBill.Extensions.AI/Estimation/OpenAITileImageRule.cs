namespace AgentBill.Extensions.AI;

/// <summary>
/// OpenAI's tile model (platform.openai.com/docs/guides/images-vision, "Calculating costs"): at high or auto
/// detail the image is scaled to fit 2048×2048, then down so its shortest side is 768 px, and costs a base plus
/// a rate per 512 px tile; at low detail the base alone. The rates differ by model: GPT-4o mini bills about 33×
/// GPT-4o's, so that an image costs the same dollars on both.
/// </summary>
/// <param name="baseTokens">The tokens every image costs, and all a low-detail image costs.</param>
/// <param name="tileTokens">The tokens per 512 px tile.</param>
internal sealed class OpenAITileImageRule(long baseTokens, long tileTokens) : ImageTokenRule
{
    private const double FitSide = 2048;
    private const double ShortSide = 768;
    private const double Tile = 512;

    // The most tiles an image can have after the scaling: 768 × 2048 px is 2 × 4 tiles.
    private const long MostTiles = 8;

    /// <inheritdoc />
    public override long Tokens(ImageSize? size, bool lowDetail)
    {
        if (lowDetail)
        {
            return baseTokens;
        }

        if (size is not { } image)
        {
            return baseTokens + (MostTiles * tileTokens);
        }

        double width = image.Width, height = image.Height;
        var fit = Math.Min(1, FitSide / Math.Max(width, height));
        width *= fit;
        height *= fit;

        // Only shrinks: a small image is not scaled up (a 128 × 64 image is one tile).
        var shrink = Math.Min(1, ShortSide / Math.Min(width, height));
        width *= shrink;
        height *= shrink;

        var tiles = (long)Math.Ceiling(width / Tile) * (long)Math.Ceiling(height / Tile);
        return baseTokens + (Math.Min(tiles, MostTiles) * tileTokens);
    }
}
