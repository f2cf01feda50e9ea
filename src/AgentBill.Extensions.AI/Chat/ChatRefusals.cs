using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>The answers the chat gate gives instead of calling the provider, in <see cref="AgentBillRefusalMode.ReturnResponse"/>.</summary>
internal static class ChatRefusals
{
    public static ChatResponse Response(AgentBillException refusal)
        => new(new ChatMessage(ChatRole.Assistant, Text(refusal.Result)))
        {
            FinishReason = AgentBillChatFinishReasons.BudgetRefused,
            AdditionalProperties = Properties(refusal.Result),
        };

    public static ChatResponseUpdate Update(AgentBillException refusal)
        => new(ChatRole.Assistant, Text(refusal.Result))
        {
            FinishReason = AgentBillChatFinishReasons.BudgetRefused,
            AdditionalProperties = Properties(refusal.Result),
        };

    /// <summary>A message fit for an end user: the reason and where to raise the budget, never the ids or amounts.</summary>
    private static string Text(PreflightResult? result)
    {
        var reason = result?.Reason switch
        {
            RefusalReason.CeilingExceeded => "its estimated cost is above the per-call limit",
            RefusalReason.TaskCeilingExceeded => "the task's budget cannot pay for it",
            RefusalReason.UnknownModel => "the model has no known price",
            _ => "the budget cannot pay for it",
        };
        var upgrade = result?.UpgradeUrl is { } url ? $" The budget can be raised at {url}." : string.Empty;
        return $"This request was not sent to the model: {reason}.{upgrade}";
    }

    private static AdditionalPropertiesDictionary Properties(PreflightResult? result) => new()
    {
        [AgentBillPropertyNames.Refusal] = result,
        [AgentBillPropertyNames.ChargedUnits] = 0L,
    };
}
