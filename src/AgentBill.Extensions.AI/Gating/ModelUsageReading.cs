using AgentBill.Pricing;

namespace AgentBill.Extensions.AI;

/// <summary>What <see cref="ModelUsage.Read(Microsoft.Extensions.AI.UsageDetails?, TokenUsage, long?, bool)"/> made of a provider's usage.</summary>
/// <param name="Tokens">The tokens to charge: the provider's counts where they are credible, the documented bound where they are not.</param>
/// <param name="Reported">The part of <paramref name="Tokens"/> that rests on the provider's own counts (missing parts are zero).</param>
/// <param name="Issue">Why <paramref name="Tokens"/> is not simply what was reported, or <see cref="ModelUsageIssue.None"/>.</param>
public readonly record struct ModelUsageReading(TokenUsage Tokens, TokenUsage Reported, ModelUsageIssue Issue)
{
    /// <summary>Gets whether any part of <see cref="Tokens"/> is not the provider's own count.</summary>
    public bool IsEstimated => Issue != ModelUsageIssue.None;
}
