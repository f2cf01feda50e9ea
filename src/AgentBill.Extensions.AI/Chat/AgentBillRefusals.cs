using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The answers the gates give instead of calling the provider or running a tool, in
/// <see cref="AgentBillRefusalMode.ReturnResponse"/>: one text for every integration, fit for an end user.
/// </summary>
public static class AgentBillRefusals
{
    /// <summary>The chat response a refused call answers with: the reason as text, finish reason <see cref="AgentBillChatFinishReasons.BudgetRefused"/>, the refusal under <see cref="AgentBillPropertyNames.Refusal"/>.</summary>
    /// <param name="refusal">The refusal.</param>
    /// <returns>The response.</returns>
    public static ChatResponse Response(AgentBillRefusedException refusal)
        => new(new ChatMessage(ChatRole.Assistant, Text(refusal.Refusal)))
        {
            FinishReason = AgentBillChatFinishReasons.BudgetRefused,
            AdditionalProperties = Properties(refusal.Refusal),
        };

    /// <summary>The streamed update a refused call answers with, like <see cref="Response"/>.</summary>
    /// <param name="refusal">The refusal.</param>
    /// <returns>The update.</returns>
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
    /// <param name="result">The refusal.</param>
    /// <returns>The message.</returns>
    public static string Text(PreflightResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"This request was not sent to the model: {Reason(result)}";
    }

    /// <summary>The message a tool the budget refused answers with, in place of its result: the reason of <see cref="Text"/>.</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <param name="result">The refusal.</param>
    /// <returns>The message.</returns>
    public static string ToolText(string toolName, PreflightResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return $"The tool '{toolName}' was not run: {Reason(result)}";
    }

    private static string Reason(PreflightResult result)
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
        return $"{reason}.{retry}{upgrade}";
    }

    private static string Instant(DateTimeOffset? instant)
        => instant?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "later";

    private static AdditionalPropertiesDictionary Properties(PreflightResult result) => new()
    {
        [AgentBillPropertyNames.Refusal] = result,
        [AgentBillPropertyNames.ChargedUnits] = 0L,
    };
}
