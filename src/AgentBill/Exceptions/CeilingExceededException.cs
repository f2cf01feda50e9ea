namespace AgentBill;

/// <summary>Thrown when a run's estimate is above its per-call ceiling. Nothing was held or charged; waiting does not help.</summary>
public sealed class CeilingExceededException : AgentBillRefusedException
{
    /// <summary>Creates the exception from the refused preflight.</summary>
    /// <param name="result">The refused preflight.</param>
    public CeilingExceededException(PreflightResult result)
        : base($"Agent '{result?.AgentId}' estimated {result?.EstimatedUnits} {result?.Meter}, above its per-call ceiling.", result!)
    {
    }
}
