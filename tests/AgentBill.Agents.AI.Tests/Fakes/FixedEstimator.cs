using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests;

/// <summary>Estimates every prompt at a fixed count, so a round-trip's hold is an exact number.</summary>
internal sealed class FixedEstimator(long tokens) : ITokenEstimator
{
    public long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId) => tokens;

    public long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId) => tokens;
}
