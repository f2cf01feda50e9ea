namespace AgentBill.Extensions.AI;

/// <summary>
/// The keys AgentBill reads from a call's <c>AdditionalProperties</c> (<see cref="Microsoft.Extensions.AI.ChatOptions"/>,
/// <see cref="Microsoft.Extensions.AI.EmbeddingGenerationOptions"/>) and writes to a response's. The keys it reads are
/// removed before the call reaches the provider.
/// </summary>
public static class AgentBillPropertyNames
{
    /// <summary>Read: the customer whose budget pays for this call (a string).</summary>
    public const string CustomerId = "agentbill.customer_id";

    /// <summary>Read: the task this call belongs to (a string).</summary>
    public const string TaskRef = "agentbill.task_ref";

    /// <summary>Read: the agent label of this call (a string), instead of the gate's.</summary>
    public const string AgentId = "agentbill.agent_id";

    /// <summary>Written: the units charged for the call (a <see cref="long"/>).</summary>
    public const string ChargedUnits = "agentbill.charged_units";

    /// <summary>Written: what <see cref="ChargedUnits"/> counts (a <see cref="UsageMeter"/>).</summary>
    public const string Meter = "agentbill.meter";

    /// <summary>
    /// Written: <see langword="true"/> when the provider's usage was missing, partial, zero where tokens were sent or
    /// produced, inconsistent or absurd, or the call did not finish, and an upper bound was charged in its place.
    /// </summary>
    public const string UsageEstimated = "agentbill.usage_estimated";

    /// <summary>Written: why the usage was estimated (a <see cref="ModelUsageIssue"/>; <see cref="ModelUsageIssue.None"/> when it was not).</summary>
    public const string UsageIssue = "agentbill.usage_issue";

    /// <summary>Written: <see langword="true"/> when the usage could not be recorded; the response is still returned and the failure logged and counted.</summary>
    public const string RecordFailed = "agentbill.record_failed";

    /// <summary>Written: the reservation the call was held and settled under (a string), when there was one.</summary>
    public const string ReservationId = "agentbill.reservation_id";

    /// <summary>Written on a refusal response: the refused preflight (a <see cref="PreflightResult"/>).</summary>
    public const string Refusal = "agentbill.refusal";
}
