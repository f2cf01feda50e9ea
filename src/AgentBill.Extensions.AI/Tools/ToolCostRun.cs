namespace AgentBill.Extensions.AI;

/// <summary>What a tool run under <see cref="ToolCostHold.RunAsync"/> came to: its result, or the refusal that kept it from running.</summary>
/// <typeparam name="TResult">What the tool returns.</typeparam>
/// <param name="Result">The tool's result; <see langword="default"/> when it was refused.</param>
/// <param name="Refused">The refusal of the tool's cost, or <see langword="null"/> when it ran.</param>
public readonly record struct ToolCostRun<TResult>(TResult? Result, AgentBillRefusedException? Refused);
