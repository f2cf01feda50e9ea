namespace AgentBill.Agents.AI;

/// <summary>
/// Thrown when the budget stopped an agent run: before its first model call, before a further round-trip of its
/// tool loop, or before a tool with a cost. Nothing the refused call asked for was held or charged, and every hold
/// the run made was settled or released; <see cref="Usage"/> says what the run spent before it stopped.
/// </summary>
public sealed class AgentRunRefusedException : AgentBillRefusedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="refusal">The refused preflight.</param>
    /// <param name="usage">What the run spent before it was stopped.</param>
    public AgentRunRefusedException(PreflightResult refusal, AgentRunUsage usage)
        : base($"The agent run of '{usage?.AgentId}' (task '{usage?.TaskRef}') was stopped by its budget ({refusal?.Reason}) after {usage?.ModelCalls} model calls.", refusal!)
        => Usage = usage ?? throw new ArgumentNullException(nameof(usage));

    /// <summary>Gets what the run spent before it was stopped.</summary>
    public AgentRunUsage Usage { get; }
}
