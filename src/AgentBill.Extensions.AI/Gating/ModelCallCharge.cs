using AgentBill.Pricing;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// What settling a call charges: the provider's usage read by <see cref="ModelUsage"/>, priced, and bounded. An
/// interrupted call's estimated part never takes the charge above the hold, and no charge exceeds the options' cap.
/// </summary>
/// <param name="Tokens">The tokens charged.</param>
/// <param name="Units">The units charged.</param>
/// <param name="Issue">Why the charge is not the reported usage, or <see cref="ModelUsageIssue.None"/>.</param>
internal readonly record struct ModelCallCharge(TokenUsage Tokens, long Units, ModelUsageIssue Issue)
{
    /// <summary>Reads, prices and bounds a call's outcome. Throws only when a custom estimator or price does.</summary>
    public static ModelCallCharge Of(ModelCallTicket ticket, long heldUnits, in ModelCallOutcome outcome, ModelPriceMatch? price, AgentBillGateOptions options)
    {
        long? produced = outcome.Output is { } output && ModelUsage.NeedsProducedCount(outcome.Usage, outcome.IsInterrupted)
            ? options.Estimator.EstimateOutputTokens(output as IReadOnlyList<ChatMessage> ?? [.. output], outcome.ReportedModelId ?? ticket.ModelId)
            : null;
        var reading = ModelUsage.Read(outcome.Usage, ticket.Estimate, produced, outcome.IsInterrupted);
        var issue = reading.Issue;
        var units = Price(reading.Tokens, price, ref issue);
        if (outcome.IsInterrupted)
        {
            // What was estimated never takes the charge above the hold; what the provider itself reported is never cut.
            units = Math.Min(units, Math.Max(heldUnits, Price(reading.Reported, price, ref issue)));
        }

        if (units > options.ChargeCap)
        {
            units = options.ChargeCap;
            issue = ModelUsageIssue.Absurd;
        }

        return new ModelCallCharge(reading.Tokens, units, issue);
    }

    /// <summary>The charge of a call whose usage could not be read at all: its hold.</summary>
    public static ModelCallCharge Held(ModelCallTicket ticket, long heldUnits) => new(ticket.Estimate, heldUnits, ModelUsageIssue.Absurd);

    private static long Price(TokenUsage tokens, ModelPriceMatch? price, ref ModelUsageIssue issue)
    {
        if (price is null)
        {
            return tokens.TotalTokens;
        }

        try
        {
            return price.Price.CostOf(tokens);
        }
        catch (OverflowException)
        {
            // Beyond 64 bits: above any cap, which is then charged.
            issue = ModelUsageIssue.Absurd;
            return long.MaxValue;
        }
    }
}
