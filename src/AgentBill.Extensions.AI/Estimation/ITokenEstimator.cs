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
}
