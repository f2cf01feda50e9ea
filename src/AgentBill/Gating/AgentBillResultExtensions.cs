namespace AgentBill;

/// <summary>Turns a non-throwing preflight answer into the typed exceptions.</summary>
public static class AgentBillResultExtensions
{
    /// <summary>Returns the result when approved; otherwise throws the exception that matches its reason.</summary>
    /// <param name="result">The preflight answer.</param>
    /// <exception cref="CeilingExceededException">The estimate is above the ceiling.</exception>
    /// <exception cref="BudgetExhaustedException">A budget cannot hold the estimate.</exception>
    /// <exception cref="Pricing.UnknownModelException">The model has no price.</exception>
    public static PreflightResult EnsureApproved(this PreflightResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Approved)
        {
            return result;
        }

        throw result.Reason switch
        {
            RefusalReason.CeilingExceeded => new CeilingExceededException(result),
            RefusalReason.UnknownModel => new Pricing.UnknownModelException(result, modelId: null),
            _ => (AgentBillRefusedException)new BudgetExhaustedException(result),
        };
    }
}
