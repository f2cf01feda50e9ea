using AgentBill.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>Settings of AgentBill's kernel filters.</summary>
public sealed class AgentBillKernelOptions : AgentBillModelGateOptions
{
    /// <summary>Gets or sets the agent label charged for the kernel's calls. Defaults to <c>kernel</c>.</summary>
    public override string AgentId { get; set; } = "kernel";

    /// <summary>
    /// Gets or sets a delegate that names the customer of a function call, consulted when neither the call's
    /// <see cref="KernelArguments"/> (<see cref="AgentBillPropertyNames.CustomerId"/>) nor the ambient
    /// <see cref="AgentBillContext"/> names one.
    /// </summary>
    public Func<KernelArguments, Kernel, string?>? CustomerIdSelector { get; set; }

    /// <summary>Gets or sets the model priced when neither the execution settings nor the chat client name one.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets the cost of one call of a native function (a tool), by <c>plugin.function</c> or by function name, in
    /// <see cref="ToolCostMeter"/> units, held before it runs and charged when it returns (<see cref="ToolCostHold"/>).
    /// A name here wins over a <see cref="ToolCostAttribute"/> on the method.
    /// </summary>
    public IDictionary<string, long> ToolCosts { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Gets or sets what tool costs count. Defaults to <see cref="UsageMeter.MicroUsd"/>, so they share the money budget.</summary>
    public UsageMeter ToolCostMeter { get; set; } = UsageMeter.MicroUsd;

    /// <inheritdoc />
    protected override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(ToolCostMeter))
        {
            throw new ArgumentOutOfRangeException(nameof(ToolCostMeter), ToolCostMeter, "Not a defined meter.");
        }

        ToolCostHold.Validate(ToolCosts, nameof(ToolCosts));
    }
}
