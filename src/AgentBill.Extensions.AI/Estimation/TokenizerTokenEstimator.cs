using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace AgentBill.Extensions.AI;

/// <summary>
/// Counts input tokens with Microsoft.ML.Tokenizers: the model family's own tiktoken encoding for OpenAI models
/// (o200k_base for GPT-4o and later, cl100k_base for GPT-4 and GPT-3.5), o200k_base plus a margin for every
/// other family. Each text sent (instructions, messages, function calls and results, tool names, descriptions
/// and JSON schemas, the response schema) is counted, plus the framing every chat format adds. Images are counted
/// by their model's published rule, other attachments at <see cref="TokensPerAttachment"/> (docs/pricing.md).
/// </summary>
public sealed class TokenizerTokenEstimator : ITokenEstimator
{
    /// <summary>The tokens the chat format adds around each message (role and delimiters); the instructions count as one message.</summary>
    public const int TokensPerMessage = 4;

    /// <summary>The tokens the chat format adds to prime the reply.</summary>
    public const int TokensPerReply = 3;

    /// <summary>The tokens the chat format adds around each tool definition.</summary>
    public const int TokensPerTool = 8;

    /// <summary>Gets the estimator with the default settings, shared by every gate that is given none.</summary>
    public static TokenizerTokenEstimator Shared { get; } = new();

    /// <summary>
    /// Gets the tokens counted for each attachment that no published rule covers: audio, video, PDF and other
    /// documents, files known only by id, and data of unknown kind. Defaults to 25,000: about 13 minutes of audio
    /// on Gemini (32 tokens a second), or 5 to 8 dense PDF pages on Claude (text plus a page image each). It is
    /// no bound for longer media: set it to the largest attachment you send, and cap the output.
    /// </summary>
    /// <remarks>
    /// Images are counted by their model's rule instead (see <see cref="UnknownModelImageTokens"/>), and text
    /// attachments (<c>text/*</c>, <c>application/json</c>) by their text.
    /// </remarks>
    public long TokensPerAttachment
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(TokensPerAttachment), value, "The allowance must not be negative.");
    } = 25_000;

    /// <summary>
    /// Gets the tokens counted for an image sent to a model that no published image rule covers, or to a Gemini 2
    /// model when only the image's URI is known. Defaults to 6,000: above the most one image costs under every
    /// rule this estimator knows, GPT-4o mini's excepted (its rule is applied to it).
    /// </summary>
    /// <remarks>
    /// Images are estimated per model from the providers' published rules: OpenAI's tiles (base plus 512 px tiles
    /// after the 2048/768 scaling, at per-model rates; the base alone at <c>detail: low</c>) and patches (32 px
    /// patches, at most 1,536, times the model's multiplier), Anthropic's width × height / 750 up to the model's
    /// cap, and Gemini's 258-token tiles (Gemini 2) or 1,120 tokens per image (Gemini 3). The size is read from
    /// PNG, JPEG, GIF and WebP headers; an image known only by its URI counts the worst case for its detail level.
    /// </remarks>
    public long UnknownModelImageTokens
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(UnknownModelImageTokens), value, "The allowance must not be negative.");
    } = 6_000;

    /// <summary>
    /// Gets the percentage added to the count for models outside the OpenAI families, whose tokenizers usually
    /// cut the same text into more tokens than o200k_base does. Defaults to 35.
    /// </summary>
    public int OtherFamilyMarginPercent
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(OtherFamilyMarginPercent), value, "The margin must not be negative.");
    } = 35;

    /// <summary>Counts the tokens of one text with the encoding chosen for a model, without framing or margin.</summary>
    /// <param name="text">The text.</param>
    /// <param name="modelId">The model, or <see langword="null"/>.</param>
    /// <returns>The token count.</returns>
    public static int CountTokens(string text, string? modelId)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TokenizerEncodings.For(modelId, out _).CountTokens(text);
    }

    /// <inheritdoc />
    public long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tokenizer = TokenizerEncodings.For(modelId, out var isExact);
        long count = TokensPerReply;

        // Attachments are counted by the providers' own rules, outside the tokenizer margin.
        long attachments = 0;
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            count += TokensPerMessage + tokenizer.CountTokens(options.Instructions);
        }

        foreach (var message in messages)
        {
            count += TokensPerMessage + Count(tokenizer, message.AuthorName);
            count += CountContents(tokenizer, message, modelId, ref attachments);
        }

        foreach (var tool in options?.Tools ?? [])
        {
            count += TokensPerTool + Count(tokenizer, tool.Name) + Count(tokenizer, tool.Description);
            if (tool is AIFunctionDeclaration function)
            {
                count += Count(tokenizer, function.JsonSchema);
            }
        }

        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } format)
        {
            count += Count(tokenizer, schema) + Count(tokenizer, format.SchemaName) + Count(tokenizer, format.SchemaDescription);
        }

        return WithMargin(count, isExact) + attachments;
    }

    /// <inheritdoc />
    public long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tokenizer = TokenizerEncodings.For(modelId, out var isExact);
        long count = 0;
        foreach (var value in values)
        {
            count += Count(tokenizer, value);
        }

        return WithMargin(count, isExact);
    }

    /// <inheritdoc />
    /// <remarks>Counts each content of the messages as <see cref="EstimatePromptTokens"/> does, without the chat format's framing.</remarks>
    public long EstimateOutputTokens(IReadOnlyList<ChatMessage> messages, string? modelId)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var tokenizer = TokenizerEncodings.For(modelId, out var isExact);
        long count = 0;
        long attachments = 0;
        foreach (var message in messages)
        {
            count += CountContents(tokenizer, message, modelId, ref attachments);
        }

        return WithMargin(count, isExact) + attachments;
    }

    /// <summary>Counts a message's text contents, and adds its attachments (outside the margin) to <paramref name="attachments"/>.</summary>
    private long CountContents(Tokenizer tokenizer, ChatMessage message, string? modelId, ref long attachments)
    {
        long count = 0;
        foreach (var content in message.Contents)
        {
            if (AttachmentTokens.TryCountText(content, tokenizer, out var text))
            {
                count += text;
            }
            else if (AttachmentTokens.IsAttachment(content))
            {
                attachments += AttachmentTokens.Count(content, modelId, TokensPerAttachment, UnknownModelImageTokens);
            }
            else
            {
                count += Count(tokenizer, content);
            }
        }

        return count;
    }

    private static long Count(Tokenizer tokenizer, AIContent content) => content switch
    {
        TextContent text => Count(tokenizer, text.Text),
        TextReasoningContent reasoning => Count(tokenizer, reasoning.Text),
        FunctionCallContent call => Count(tokenizer, call.CallId) + Count(tokenizer, call.Name) + Count(tokenizer, Json(call.Arguments)),
        FunctionResultContent result => Count(tokenizer, result.CallId) + Count(tokenizer, Json(result.Result)),
        // Usage, errors and other bookkeeping content are not sent to the model.
        _ => 0,
    };

    private static int Count(Tokenizer tokenizer, string? text) => string.IsNullOrEmpty(text) ? 0 : tokenizer.CountTokens(text);

    private static int Count(Tokenizer tokenizer, JsonElement json) => Count(tokenizer, json.GetRawText());

    /// <summary>Renders arguments and results as the JSON a provider sends; a value the serializer cannot handle is counted by its text.</summary>
    private static string? Json(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                return text;
            case JsonElement element:
                return element.GetRawText();
        }

        try
        {
            return JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (NotSupportedException)
        {
            return value.ToString();
        }
        catch (InvalidOperationException)
        {
            return value.ToString();
        }
    }

    private long WithMargin(long count, bool isExact)
        => isExact || OtherFamilyMarginPercent == 0 ? count : ((count * (100 + OtherFamilyMarginPercent)) + 99) / 100;
}
