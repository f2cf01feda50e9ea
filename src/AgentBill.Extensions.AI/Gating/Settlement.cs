using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>What settling a model call charged, written onto the response for the caller to see.</summary>
internal readonly record struct Settlement(long Units, UsageMeter Meter, bool UsageEstimated, bool RecordFailed, string? ReservationId)
{
    public void WriteTo(AdditionalPropertiesDictionary properties)
    {
        properties[AgentBillPropertyNames.ChargedUnits] = Units;
        properties[AgentBillPropertyNames.Meter] = Meter;
        properties[AgentBillPropertyNames.UsageEstimated] = UsageEstimated;
        properties[AgentBillPropertyNames.RecordFailed] = RecordFailed;
        if (ReservationId is not null)
        {
            properties[AgentBillPropertyNames.ReservationId] = ReservationId;
        }
    }
}
