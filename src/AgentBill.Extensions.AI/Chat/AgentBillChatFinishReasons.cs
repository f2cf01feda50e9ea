using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>The finish reasons the chat gate answers with.</summary>
public static class AgentBillChatFinishReasons
{
    /// <summary>The budget refused the call and the provider was not called (<see cref="AgentBillRefusalMode.ReturnResponse"/>).</summary>
    public static ChatFinishReason BudgetRefused { get; } = new("agentbill_refused");
}
