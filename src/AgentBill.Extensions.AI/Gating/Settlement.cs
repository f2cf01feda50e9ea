using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>What settling a model call charged, written onto the response for the caller to see.</summary>
internal readonly record struct Settlement(long Units, UsageMeter Meter, bool UsageEstimated, bool RecordFailed, string? ReservationId)
{
    // Every response carries these values: the flags and meters are boxed once here instead of on every call.
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object UnitsMeter = UsageMeter.Units;
    private static readonly object TokensMeter = UsageMeter.Tokens;
    private static readonly object MicroUsdMeter = UsageMeter.MicroUsd;

    public void WriteTo(AdditionalPropertiesDictionary properties)
    {
        properties[AgentBillPropertyNames.ChargedUnits] = Units;
        properties[AgentBillPropertyNames.Meter] = Boxed(Meter);
        properties[AgentBillPropertyNames.UsageEstimated] = UsageEstimated ? True : False;
        properties[AgentBillPropertyNames.RecordFailed] = RecordFailed ? True : False;
        if (ReservationId is not null)
        {
            properties[AgentBillPropertyNames.ReservationId] = ReservationId;
        }
    }

    private static object Boxed(UsageMeter meter) => meter switch
    {
        UsageMeter.Units => UnitsMeter,
        UsageMeter.Tokens => TokensMeter,
        UsageMeter.MicroUsd => MicroUsdMeter,
        _ => meter,
    };
}
