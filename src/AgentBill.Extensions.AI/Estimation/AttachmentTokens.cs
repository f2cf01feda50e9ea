using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace AgentBill.Extensions.AI;

/// <summary>
/// Counts the input tokens of a binary or linked attachment: a text file by its text, an image by its model's
/// published rule (its size read from the bytes, the worst case for its detail level when only a URI is given),
/// anything else (audio, video, PDF and other documents, unknown data) at the estimator's allowance.
/// </summary>
internal static class AttachmentTokens
{
    /// <summary>The key under which Microsoft.Extensions.AI's OpenAI client reads an image's detail level.</summary>
    private const string DetailKey = "detail";

    public static bool IsAttachment(AIContent content) => content is DataContent or UriContent or HostedFileContent;

    /// <summary>Counts a text attachment's tokens with the prompt's tokenizer, or answers <see langword="false"/> for other kinds.</summary>
    public static bool TryCountText(AIContent content, Tokenizer tokenizer, out long tokens)
    {
        tokens = 0;
        if (content is not DataContent data || !IsText(data.MediaType))
        {
            return false;
        }

        tokens = tokenizer.CountTokens(Encoding.UTF8.GetString(data.Data.Span));
        return true;
    }

    /// <summary>The tokens of an attachment that is not text.</summary>
    public static long Count(AIContent content, string? modelId, long tokensPerAttachment, long unknownModelImageTokens)
    {
        var (mediaType, bytes) = content switch
        {
            DataContent data => (data.MediaType, data.Data),
            UriContent uri => (uri.MediaType, ReadOnlyMemory<byte>.Empty),
            HostedFileContent file => (file.MediaType, ReadOnlyMemory<byte>.Empty),
            _ => (null, ReadOnlyMemory<byte>.Empty),
        };

        // The bytes tell an image even when the media type is generic (application/octet-stream).
        ImageSize? size = ImageSize.TryRead(bytes.Span, out var read) ? read : null;
        if (size is null && !IsImage(mediaType))
        {
            return tokensPerAttachment;
        }

        var rule = ImageTokenRules.For(modelId, unknownModelImageTokens) ?? new FixedImageRule(unknownModelImageTokens);
        return rule.Tokens(size, IsLowDetail(content));
    }

    private static bool IsImage(string? mediaType) => mediaType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) is true;

    private static bool IsText(string? mediaType)
        => mediaType is not null
            && (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
                || mediaType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));

    private static bool IsLowDetail(AIContent content)
        => content.AdditionalProperties?.TryGetValue(DetailKey, out var detail) is true
            && string.Equals(detail?.ToString(), "low", StringComparison.OrdinalIgnoreCase);
}
