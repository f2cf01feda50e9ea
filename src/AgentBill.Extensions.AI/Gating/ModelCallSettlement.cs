using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>What settling a model call charged, written onto the response for the caller to see.</summary>
/// <param name="Units">The units charged.</param>
/// <param name="Meter">What <paramref name="Units"/> counts.</param>
/// <param name="UsageEstimated">Whether the provider's usage was missing or not credible, or the call did not finish, and an upper bound was charged instead (<see cref="UsageIssue"/> says why).</param>
/// <param name="RecordFailed">Whether the usage could not be recorded (the response was still returned).</param>
/// <param name="ReservationId">The hold the call was settled under, when there was one.</param>
public readonly record struct ModelCallSettlement(long Units, UsageMeter Meter, bool UsageEstimated, bool RecordFailed, string? ReservationId)
{
    // Every response carries these values: the flags and meters are boxed once here instead of on every call.
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object UnitsMeter = UsageMeter.Units;
    private static readonly object TokensMeter = UsageMeter.Tokens;
    private static readonly object MicroUsdMeter = UsageMeter.MicroUsd;
    private static readonly object[] Issues = [.. Enum.GetValues<ModelUsageIssue>().Select(issue => (object)issue)];

    /// <summary>Gets why the usage was estimated, or <see cref="ModelUsageIssue.None"/>.</summary>
    public ModelUsageIssue UsageIssue { get; init; }

    /// <summary>Writes the settlement under the <see cref="AgentBillPropertyNames"/> keys.</summary>
    /// <param name="properties">A response's (or an update's) additional properties.</param>
    public void WriteTo(AdditionalPropertiesDictionary properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        properties[AgentBillPropertyNames.ChargedUnits] = Units;
        properties[AgentBillPropertyNames.Meter] = Boxed(Meter);
        properties[AgentBillPropertyNames.UsageEstimated] = UsageEstimated ? True : False;
        properties[AgentBillPropertyNames.RecordFailed] = RecordFailed ? True : False;
        properties[AgentBillPropertyNames.UsageIssue] = (int)UsageIssue < Issues.Length ? Issues[(int)UsageIssue] : UsageIssue;
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
