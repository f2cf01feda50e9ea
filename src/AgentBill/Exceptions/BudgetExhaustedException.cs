namespace AgentBill;

/// <summary>
/// Thrown when a budget (customer, agent, task or global) or a run's <see cref="SpendingCeiling"/> cannot hold an
/// estimate. Nothing was held or charged.
/// </summary>
public sealed class BudgetExhaustedException : AgentBillRefusedException
{
    /// <summary>Creates the exception from the refused preflight.</summary>
    /// <param name="result">The refused preflight.</param>
    public BudgetExhaustedException(PreflightResult result)
        : base(
            $"The {Whose(result)} cannot hold {result?.EstimatedUnits} {result?.Meter} for agent '{result?.AgentId}' ({result?.RemainingUnits ?? 0} left).",
            result!)
    {
    }

    private static string Whose(PreflightResult? result) => result switch
    {
        { Reason: RefusalReason.RunCeilingExceeded } => "run's spending ceiling",
        { Reason: RefusalReason.TooManyOpenHolds } => $"customer '{result.CustomerId}', which has as many open holds as allowed,",
        { RefusedBy: { } key } => $"budget of {key.Scope}",
        _ => $"budget of customer '{result?.CustomerId}'",
    };
}
