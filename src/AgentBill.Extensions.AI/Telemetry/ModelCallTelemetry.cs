using System.Diagnostics.Metrics;

namespace AgentBill.Extensions.AI;

/// <summary>
/// The gate's own instruments, on the <c>AgentBill</c> meter next to the client's. Tags carry the agent and the
/// operation, never the customer (personal data, unbounded series) or any prompt text.
/// </summary>
internal sealed class ModelCallTelemetry : IDisposable
{
    private readonly Meter _meter;

    public ModelCallTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(AgentBillDiagnostics.Name) ?? new Meter(AgentBillDiagnostics.Name);
        UsageEstimated = _meter.CreateCounter<long>(AgentBillDiagnostics.Instruments.ModelCallsUsageEstimated, "{call}", "Model calls charged an upper bound because their usage was missing, zero, inconsistent or absurd, or they did not finish; tagged with agentbill.usage_issue.");
        RecordFailures = _meter.CreateCounter<long>(AgentBillDiagnostics.Instruments.ModelCallRecordFailures, "{call}", "Model calls whose usage could not be recorded; their responses were still returned.");
        UnknownModels = _meter.CreateCounter<long>(AgentBillDiagnostics.Instruments.ModelCallsUnknownModel, "{call}", "Model calls refused because their model has no price.");
    }

    public Counter<long> UsageEstimated { get; }

    public Counter<long> RecordFailures { get; }

    public Counter<long> UnknownModels { get; }

    public void Dispose() => _meter.Dispose();
}
