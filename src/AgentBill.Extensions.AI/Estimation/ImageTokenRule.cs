namespace AgentBill.Extensions.AI;

/// <summary>
/// How a provider bills one image for a family of models, as an upper bound: the tokens for an image of a known
/// size, and the most any image can cost when only its address is known.
/// </summary>
internal abstract class ImageTokenRule
{
    /// <summary>The tokens of an image.</summary>
    /// <param name="size">The image's size, or <see langword="null"/> when only its address is known: then the worst case.</param>
    /// <param name="lowDetail">Whether the call asks for low detail (OpenAI's <c>detail: low</c>).</param>
    public abstract long Tokens(ImageSize? size, bool lowDetail);
}
