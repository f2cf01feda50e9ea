namespace AgentBill;

/// <summary>Thrown when a budget (customer, agent, task or global) cannot hold a run's estimate. Nothing was held or charged.</summary>
public sealed class BudgetExhaustedException : AgentBillRefusedException
{
    /// <summary>Creates the exception from the refused preflight.</summary>
    /// <param name="result">The refused preflight.</param>
    public BudgetExhaustedException(PreflightResult result)
        : base(
            $"The budget of {result?.RefusedBy?.Scope.ToString() ?? "customer '" + result?.CustomerId + "'"} cannot hold {result?.EstimatedUnits} {result?.Meter} " +
            $"for agent '{result?.AgentId}' ({result?.RemainingUnits ?? 0} left).",
            result!)
    {
    }
}
