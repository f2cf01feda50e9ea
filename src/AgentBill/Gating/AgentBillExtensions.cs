namespace AgentBill;

/// <summary>The short forms of the gate's calls, shaped like the original product's <c>preflight</c> and <c>record</c>.</summary>
public static class AgentBillExtensions
{
    /// <summary>Checks and holds an estimate; never throws for a refusal.</summary>
    /// <param name="bill">The gate.</param>
    /// <param name="agentId">The label of what runs.</param>
    /// <param name="estimatedUnits">The units the run expects to use.</param>
    /// <param name="customerId">Whose budget pays, or <see langword="null"/> for the default customer.</param>
    /// <param name="ceiling">This call's ceiling; the tightest ceiling applies.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public static ValueTask<PreflightResult> PreflightAsync(this IAgentBill bill, string agentId, long estimatedUnits = 1, string? customerId = null, long? ceiling = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bill);
        return bill.PreflightAsync(new PreflightRequest(agentId) { EstimatedUnits = estimatedUnits, CustomerId = customerId, Ceiling = ceiling }, cancellationToken);
    }

    /// <summary>Holds an estimate and returns a handle to commit or release; throws when refused.</summary>
    /// <param name="bill">The gate.</param>
    /// <param name="agentId">The label of what runs.</param>
    /// <param name="estimatedUnits">The units the run expects to use.</param>
    /// <param name="customerId">Whose budget pays, or <see langword="null"/> for the default customer.</param>
    /// <param name="ceiling">This call's ceiling; the tightest ceiling applies.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public static ValueTask<Reservation> ReserveAsync(this IAgentBill bill, string agentId, long estimatedUnits = 1, string? customerId = null, long? ceiling = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bill);
        return bill.ReserveAsync(new PreflightRequest(agentId) { EstimatedUnits = estimatedUnits, CustomerId = customerId, Ceiling = ceiling }, cancellationToken);
    }

    /// <summary>Records usage that happened, settling the oldest open hold of the agent when there is one.</summary>
    /// <param name="bill">The gate.</param>
    /// <param name="agentId">The label of what ran.</param>
    /// <param name="units">The units actually used.</param>
    /// <param name="customerId">Whose budget pays, or <see langword="null"/> for the default customer.</param>
    /// <param name="metadata">Key-value pairs for the record's trace; never secrets.</param>
    /// <param name="idempotencyKey">A key that makes a retried record change nothing the second time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public static ValueTask<RecordResult> RecordAsync(this IAgentBill bill, string agentId, long units = 1, string? customerId = null, IReadOnlyDictionary<string, string>? metadata = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bill);
        return bill.RecordAsync(new RecordRequest(agentId, units) { CustomerId = customerId, Metadata = metadata, IdempotencyKey = idempotencyKey }, cancellationToken);
    }
}
