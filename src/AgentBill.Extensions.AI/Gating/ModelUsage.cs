using AgentBill.Pricing;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The one place provider usage becomes billable tokens, for every integration (chat, embeddings, agent frameworks).
/// Follows the Microsoft.Extensions.AI convention: input includes cached tokens, output includes reasoning tokens.
/// What the provider left out comes from the estimate and marks the reading estimated, so a call is never charged
/// less because its usage was not reported.
/// </summary>
public static class ModelUsage
{
    /// <summary>Reads a provider's usage.</summary>
    /// <param name="usage">The reported usage, or <see langword="null"/>.</param>
    /// <param name="estimate">The call's estimate, charged for what is missing.</param>
    /// <param name="isEstimated">Whether any part of the result came from the estimate.</param>
    /// <returns>The tokens to charge.</returns>
    public static TokenUsage Read(UsageDetails? usage, TokenUsage estimate, out bool isEstimated)
    {
        var input = NonNegative(usage?.InputTokenCount);
        var output = NonNegative(usage?.OutputTokenCount);
        var total = NonNegative(usage?.TotalTokenCount);
        if (input is null && output is null && total is not null)
        {
            // Only a total: every token is priced as output, the dearer side, so the charge is not too low.
            isEstimated = true;
            return new TokenUsage(0, 0, total.Value);
        }

        input ??= total - output;
        output ??= total - input;
        isEstimated = (input is null && estimate.InputTokens > 0) || (output is null && estimate.OutputTokens > 0);
        var inputTokens = Math.Max(0, input ?? estimate.InputTokens);
        var cached = Math.Clamp(NonNegative(usage?.CachedInputTokenCount) ?? (input is null ? estimate.CachedInputTokens : 0), 0, inputTokens);
        return new TokenUsage(inputTokens, cached, Math.Max(0, output ?? estimate.OutputTokens));
    }

    private static long? NonNegative(long? count) => count is < 0 ? 0 : count;
}
