using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>The answers the chat gate gives instead of calling the provider, in <see cref="AgentBillRefusalMode.ReturnResponse"/>.</summary>
internal static class ChatRefusals
{
    public static ChatResponse Response(AgentBillRefusedException refusal)
        => new(new ChatMessage(ChatRole.Assistant, Text(refusal.Refusal)))
        {
            FinishReason = AgentBillChatFinishReasons.BudgetRefused,
            AdditionalProperties = Properties(refusal.Refusal),
        };

    public static ChatResponseUpdate Update(AgentBillRefusedException refusal)
        => new(ChatRole.Assistant, Text(refusal.Refusal))
        {
            FinishReason = AgentBillChatFinishReasons.BudgetRefused,
            AdditionalProperties = Properties(refusal.Refusal),
        };

    /// <summary>
    /// A message fit for an end user: the reason, whether waiting helps (and until when), and where to raise the
    /// budget; never the ids or amounts.
    /// </summary>
    internal static string Text(PreflightResult result)
    {
        var reason = result.Reason switch
        {
            RefusalReason.CeilingExceeded => "its estimated cost is above the per-call limit",
            RefusalReason.TaskCeilingExceeded => "the task's budget cannot pay for it",
            RefusalReason.RunCeilingExceeded => "this run's spending limit cannot pay for it",
            RefusalReason.UnknownModel => "the model has no known price",
            _ => "the budget cannot pay for it",
        };
        var retry = result.Persistence switch
        {
            RefusalPersistence.UntilHoldsEnd => $" Other requests in flight hold the rest of the budget; try again shortly (by {Instant(result.RetryAt)} at the latest).",
            RefusalPersistence.UntilPeriodEnds => $" The budget is spent for its period; it renews at {Instant(result.RetryAt)}.",
            RefusalPersistence.Permanent => " Waiting will not help: the request must be smaller or the budget larger.",
            _ => string.Empty,
        };
        var upgrade = result.UpgradeUrl is { } url ? $" The budget can be raised at {url}." : string.Empty;
        return $"This request was not sent to the model: {reason}.{retry}{upgrade}";
    }

    private static string Instant(DateTimeOffset? instant)
        => instant?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "later";

    private static AdditionalPropertiesDictionary Properties(PreflightResult result) => new()
    {
        [AgentBillPropertyNames.Refusal] = result,
        [AgentBillPropertyNames.ChargedUnits] = 0L,
    };
}
