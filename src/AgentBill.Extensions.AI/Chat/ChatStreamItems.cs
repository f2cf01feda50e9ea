using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>How the chat gate reads a streamed response's updates: their usage contents, model and finish reason.</summary>
internal readonly struct ChatStreamItems(AgentBillRefusalMode refusalMode) : IModelCallStreamItems<ChatResponseUpdate>
{
    public void Read(ChatResponseUpdate item, ref ModelCallStreamReading reading)
    {
        reading.ModelId = item.ModelId ?? reading.ModelId;
        reading.Finished |= item.FinishReason is not null;
        foreach (var content in item.Contents)
        {
            if (content is UsageContent reported)
            {
                reading.AddUsage(reported.Details);
            }
        }
    }

    public IEnumerable<ChatMessage> Output(IReadOnlyList<ChatResponseUpdate> received) => received.ToChatResponse().Messages;

    public bool TryAnswer(AgentBillRefusedException refusal, out ChatResponseUpdate item)
    {
        item = refusalMode == AgentBillRefusalMode.ReturnResponse ? AgentBillRefusals.Update(refusal) : null!;
        return item is not null;
    }

    public bool TryTrailer(ModelCallSettlement settlement, out ChatResponseUpdate item)
    {
        item = new ChatResponseUpdate { AdditionalProperties = [] };
        settlement.WriteTo(item.AdditionalProperties);
        return true;
    }
}
