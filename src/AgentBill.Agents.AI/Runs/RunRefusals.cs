using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>How a run the budget stopped ends: the typed exception, or the answer of <see cref="AgentBillRefusalMode.ReturnResponse"/>.</summary>
internal static class RunRefusals
{
    public static AgentRunRefusedException Exception(PreflightResult refusal, AgentRun run) => new(refusal, run.Usage());

    /// <summary>The run's answer: what it produced before it stopped (when anything), then a message saying why it stopped.</summary>
    public static AgentResponse Response(PreflightResult refusal, AgentResponse? partial)
    {
        var response = partial ?? new AgentResponse();
        response.Messages.Add(new ChatMessage(ChatRole.Assistant, AgentBillRefusals.Text(refusal)));
        response.FinishReason = AgentBillChatFinishReasons.BudgetRefused;
        (response.AdditionalProperties ??= [])[AgentBillPropertyNames.Refusal] = refusal;
        return response;
    }

    /// <summary>The update a refused streaming run ends with, before its usage trailer.</summary>
    public static AgentResponseUpdate Update(PreflightResult refusal) => new(ChatRole.Assistant, AgentBillRefusals.Text(refusal))
    {
        FinishReason = AgentBillChatFinishReasons.BudgetRefused,
        AdditionalProperties = new() { [AgentBillPropertyNames.Refusal] = refusal },
    };

    /// <summary>The refusal a finished run carries: a tool's that ended the loop, or the one a chat gate answered with instead of throwing.</summary>
    public static PreflightResult? Of(AgentRun run, AdditionalPropertiesDictionary? properties)
        => run.StoppedBy
           ?? (properties is not null && properties.TryGetValue(AgentBillPropertyNames.Refusal, out var value) ? value as PreflightResult : null);
}
