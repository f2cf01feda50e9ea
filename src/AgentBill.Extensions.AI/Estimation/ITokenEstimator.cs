using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// Counts the input tokens of a model call before it is made. The count is held against the budget, so it
/// should be an upper bound: counting too few lets a call start that the budget cannot pay for.
/// </summary>
public interface ITokenEstimator
{
    /// <summary>Estimates the prompt tokens of a chat call: instructions, messages, tool definitions and response schema.</summary>
    /// <param name="messages">The messages sent.</param>
    /// <param name="options">The call's options, or <see langword="null"/>.</param>
    /// <param name="modelId">The model called, or <see langword="null"/> when unknown.</param>
    /// <returns>The estimated input tokens.</returns>
    long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId);

    /// <summary>Estimates the input tokens of an embedding call.</summary>
    /// <param name="values">The texts to embed.</param>
    /// <param name="modelId">The model called, or <see langword="null"/> when unknown.</param>
    /// <returns>The estimated input tokens.</returns>
    long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId);

    /// <summary>
    /// Counts the output a call produced (text, reasoning, function calls) when the provider's usage cannot be taken
    /// at its word: a stream cut off before its usage arrived, or a usage of zero output tokens with output received.
    /// </summary>
    /// <param name="messages">The messages received.</param>
    /// <param name="modelId">The model that answered, or <see langword="null"/> when unknown.</param>
    /// <returns>The estimated output tokens. The default counts the messages as a prompt, framing included, which is never fewer.</returns>
    long EstimateOutputTokens(IReadOnlyList<ChatMessage> messages, string? modelId) => EstimatePromptTokens(messages, null, modelId);
}
