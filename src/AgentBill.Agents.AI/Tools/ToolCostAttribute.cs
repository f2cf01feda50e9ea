namespace AgentBill.Agents.AI;

/// <summary>
/// The cost of one call of the tool made from this method (<c>AIFunctionFactory.Create</c>), in the meter of
/// <see cref="AgentBillAgentOptions.ToolCostMeter"/>: held before the tool runs, charged when it returns, released when
/// it throws. A tool the budget cannot pay for is not run, and the run ends. <see cref="AgentBillAgentOptions.ToolCosts"/> wins over it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ToolCostAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="cost">The units one call costs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cost"/> is negative.</exception>
    public ToolCostAttribute(long cost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cost);
        Cost = cost;
    }

    /// <summary>Gets the units one call costs.</summary>
    public long Cost { get; }
}
