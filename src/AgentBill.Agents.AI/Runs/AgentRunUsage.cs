using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// What one agent run spent, read when it ended: written to the response's <c>AdditionalProperties</c> under
/// <see cref="AgentBillAgentPropertyNames.RunUsage"/> and carried by <see cref="AgentRunRefusedException"/>.
/// The same numbers stay on the run's <see cref="AgentBillContext.Usage"/>, which adds into every context the run was started in.
/// </summary>
/// <param name="TaskRef">The task the run was charged to.</param>
/// <param name="CustomerId">The customer the run named, or <see langword="null"/> when the client's default customer paid.</param>
/// <param name="AgentId">The agent label the run was charged to.</param>
/// <param name="ModelCalls">The model round-trips settled.</param>
/// <param name="InputTokens">Their input tokens.</param>
/// <param name="OutputTokens">Their output tokens.</param>
/// <param name="MicroUsd">The money charged, in micro-USD (model calls and tool costs).</param>
/// <param name="Tokens">The units charged on the <see cref="UsageMeter.Tokens"/> meter.</param>
/// <param name="Units">The caller-defined units charged.</param>
/// <param name="Refusals">The calls the budget refused during the run.</param>
/// <param name="IsEstimated">Whether a round-trip was charged from its estimate because the provider's usage was missing.</param>
/// <param name="RecordFailures">Charges (model calls or tool costs) that could not be recorded: they happened but are not in the ledger; each was logged.</param>
public sealed record AgentRunUsage(
    string TaskRef,
    string? CustomerId,
    string AgentId,
    int ModelCalls,
    long InputTokens,
    long OutputTokens,
    long MicroUsd,
    long Tokens,
    long Units,
    int Refusals,
    bool IsEstimated,
    int RecordFailures = 0)
{
    /// <summary>Reads the run's usage from a response's (or an update's) additional properties.</summary>
    /// <param name="properties">The properties, or <see langword="null"/>.</param>
    /// <returns>The usage, or <see langword="null"/> when the run wrote none.</returns>
    public static AgentRunUsage? From(AdditionalPropertiesDictionary? properties)
        => properties is not null && properties.TryGetValue(AgentBillAgentPropertyNames.RunUsage, out var value) ? value as AgentRunUsage : null;

    internal static AgentRunUsage Of(AgentBillContext run)
    {
        var usage = run.Usage;
        return new AgentRunUsage(
            run.TaskRef!,
            run.CustomerId,
            run.AgentId!,
            usage.ModelCalls,
            usage.InputTokens,
            usage.OutputTokens,
            usage.MicroUsd,
            usage.Tokens,
            usage.Units,
            usage.Refusals,
            usage.IsEstimated,
            usage.RecordFailures);
    }
}
