namespace AgentBill;

/// <summary>Usage that happened, to be settled against a hold or charged.</summary>
public sealed record RecordRequest
{
    /// <summary>Creates a record for an agent.</summary>
    /// <param name="agentId">The label of what ran.</param>
    /// <param name="units">The units actually used.</param>
    public RecordRequest(string agentId, long units)
    {
        AgentId = agentId;
        Units = units;
    }

    /// <summary>Gets the label of what ran.</summary>
    public string AgentId { get; init; }

    /// <summary>Gets the units actually used. Stored even when they cross the limit.</summary>
    public long Units { get; init; }

    /// <summary>
    /// Gets whose budget pays, or <see langword="null"/> for the current <see cref="AgentBillContext"/>'s customer, else
    /// <see cref="AgentBillOptions.DefaultCustomerId"/> (refused with <see cref="CustomerRequiredException"/> when
    /// <see cref="AgentBillOptions.RequireCustomer"/> is on).
    /// </summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets the task the call belonged to.</summary>
    public string? TaskRef { get; init; }

    /// <summary>Gets what <see cref="Units"/> counts.</summary>
    public UsageMeter Meter { get; init; } = UsageMeter.Units;

    /// <summary>
    /// Gets the hold to settle. Without one the oldest open hold of the same customer, agent and meter is
    /// settled; with none open the usage is charged directly.
    /// </summary>
    public string? ReservationId { get; init; }

    /// <summary>
    /// Gets a key that makes a retried record change nothing the second time. Without one the client makes a
    /// key per call and keeps it across its own retries.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets key-value pairs attached to the record's trace (as <c>agentbill.metadata.*</c> tags). Never put secrets here.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
