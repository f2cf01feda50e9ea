namespace AgentBill;

/// <summary>
/// The cost of one call of the tool or kernel function made from this method, in the meter its integration charges
/// tool costs in (the <c>ToolCostMeter</c> of the Agent Framework's and Semantic Kernel's options): held
/// before it runs, charged when it returns, released when it throws. One the budget cannot pay for is not run. An
/// integration's options map of costs by name wins over it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ToolCostAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="cost">The units one call costs.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cost"/> is negative or larger than one call may carry.</exception>
    public ToolCostAttribute(long cost)
    {
        Cost = Validation.Guard.Units(cost);
    }

    /// <summary>Gets the units one call costs.</summary>
    public long Cost { get; }
}
