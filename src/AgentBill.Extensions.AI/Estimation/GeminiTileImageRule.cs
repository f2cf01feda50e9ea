namespace AgentBill.Extensions.AI;

/// <summary>
/// Google's rule for Gemini 2 models (ai.google.dev/gemini-api/docs/tokens, "Multimodal tokens"): an image with
/// both sides at most 384 px costs 258 tokens; a larger one is cropped and scaled into tiles of 258 tokens each,
/// the tile side being two thirds of the shorter side, at most 768 px. An image of unknown size has no
/// published bound, so it counts <paramref name="unknownSizeTokens"/>.
/// </summary>
/// <param name="unknownSizeTokens">The tokens counted for an image whose size is not known.</param>
internal sealed class GeminiTileImageRule(long unknownSizeTokens) : ImageTokenRule
{
    private const long TileTokens = 258;
    private const long SmallSide = 384;

    /// <inheritdoc />
    public override long Tokens(ImageSize? size, bool lowDetail)
    {
        if (size is not { } image)
        {
            return unknownSizeTokens;
        }

        if (image.Width <= SmallSide && image.Height <= SmallSide)
        {
            return TileTokens;
        }

        var tile = Math.Clamp(Math.Min(image.Width, image.Height) * 2L / 3, 1, 768);
        return ((image.Width + tile - 1) / tile) * ((image.Height + tile - 1) / tile) * TileTokens;
    }
}
