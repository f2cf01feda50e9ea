using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Names = AgentBill.AgentBillDiagnostics.Instruments;
using Tags = AgentBill.AgentBillDiagnostics.Tags;

namespace AgentBill.Telemetry;

/// <summary>
/// The instruments of one client. Tags carry the agent, meter and outcome, never the customer: customer ids
/// can be personal data and would make every series unbounded.
/// </summary>
internal sealed class AgentBillTelemetry : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(AgentBillDiagnostics.Name);

    private readonly Meter _meter;

    public AgentBillTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(AgentBillDiagnostics.Name) ?? new Meter(AgentBillDiagnostics.Name);
        Preflights = _meter.CreateCounter<long>(Names.Preflights, "{preflight}", "Preflights by outcome and refusal reason.");
        ReservedUnits = _meter.CreateCounter<long>(Names.ReservedUnits, "{unit}", "Units held by approved preflights.");
        RecordedUnits = _meter.CreateCounter<long>(Names.RecordedUnits, "{unit}", "Units settled or charged.");
        Degraded = _meter.CreateCounter<long>(Names.DegradedPreflights, "{preflight}", "Preflights approved without a hold because the store was unreachable (fail-open).");
        RecordRetries = _meter.CreateCounter<long>(Names.RecordRetries, "{retry}", "Records tried again because the store was unreachable.");
        RecordFailures = _meter.CreateCounter<long>(Names.RecordFailures, "{record}", "Records that could not reach the store after every attempt.");
        Overruns = _meter.CreateCounter<long>(Names.Overruns, "{record}", "Records whose usage went past a limit.");
        AlertsDelivered = _meter.CreateCounter<long>(Names.AlertsDelivered, "{alert}", "Budget alerts handed to every handler.");
        AlertHandlerFailures = _meter.CreateCounter<long>(Names.AlertHandlerFailures, "{failure}", "Alert handlers that threw.");
        PreflightDuration = _meter.CreateHistogram<double>(Names.PreflightDuration, "s", "Time a preflight took, store round trip included.");
    }

    public Counter<long> Preflights { get; }
    public Counter<long> ReservedUnits { get; }
    public Counter<long> RecordedUnits { get; }
    public Counter<long> Degraded { get; }
    public Counter<long> RecordRetries { get; }
    public Counter<long> RecordFailures { get; }
    public Counter<long> Overruns { get; }
    public Counter<long> AlertsDelivered { get; }
    public Counter<long> AlertHandlerFailures { get; }
    public Histogram<double> PreflightDuration { get; }

    /// <summary>Reports a concluded preflight: its counters, its duration (when <paramref name="started"/> is set), its span's tags, and a refusal's log line.</summary>
    public void Preflighted(PreflightResult result, Activity? activity, long started, ILogger logger)
    {
        // The tags are built only for a listener: with none (most processes, every benchmark), a preflight pays two checks.
        if (Preflights.Enabled || started != 0)
        {
            var tags = new TagList
            {
                { Tags.AgentId, result.AgentId },
                { Tags.Outcome, result.Approved ? "approved" : "refused" },
                { Tags.Reason, TagValues.Of(result.Reason) },
            };
            Preflights.Add(1, tags);
            if (started != 0)
            {
                PreflightDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }

        if (result.Approved)
        {
            if (ReservedUnits.Enabled)
            {
                ReservedUnits.Add(result.EstimatedUnits, new KeyValuePair<string, object?>(Tags.Meter, TagValues.Of(result.Meter)));
            }
        }
        else
        {
            Log.PreflightRefused(logger, result.AgentId, result.Reason, result.EstimatedUnits, result.Meter, result.RemainingUnits);
        }

        activity?.SetTag(Tags.Approved, result.Approved);
        activity?.SetTag(Tags.Reason, TagValues.Of(result.Reason));
    }

    /// <summary>Reports a charge that landed (not a replay): the units recorded, and an overrun or a saturated counter.</summary>
    public void Recorded(string agentId, long units, UsageMeter meter, bool overrun, bool saturated, ILogger logger)
    {
        if (RecordedUnits.Enabled || (overrun && Overruns.Enabled))
        {
            var tags = new TagList { { Tags.AgentId, agentId }, { Tags.Meter, TagValues.Of(meter) } };
            RecordedUnits.Add(units, tags);
            if (overrun)
            {
                Overruns.Add(1, tags);
            }
        }

        if (overrun)
        {
            Log.Overrun(logger, agentId, units, meter);
        }

        if (saturated)
        {
            Log.Saturated(logger, agentId, units, meter);
        }
    }

    public void Dispose() => _meter.Dispose();
}
