namespace AgentBill;

/// <summary>The names under which AgentBill publishes traces and metrics.</summary>
public static class AgentBillDiagnostics
{
    /// <summary>The name of both the <see cref="System.Diagnostics.ActivitySource"/> and the <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "AgentBill";
}
