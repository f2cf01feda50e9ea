namespace AgentBill;

/// <summary>What a run asks for before it starts.</summary>
public sealed record PreflightRequest
{
    /// <summary>Creates a request for an agent.</summary>
    /// <param name="agentId">The label of what runs; it appears in usage reports.</param>
    public PreflightRequest(string agentId) => AgentId = agentId;

    /// <summary>Gets the label of what runs.</summary>
    public string AgentId { get; init; }

    /// <summary>Gets the units this run is expected to use. Defaults to 1.</summary>
    public long EstimatedUnits { get; init; } = 1;

    /// <summary>
    /// Gets whose budget pays, or <see langword="null"/> for the current <see cref="AgentBillContext"/>'s customer, else
    /// <see cref="AgentBillOptions.DefaultCustomerId"/> (refused with <see cref="CustomerRequiredException"/> when
    /// <see cref="AgentBillOptions.RequireCustomer"/> is on).
    /// </summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets the task this call belongs to, whose budget spans many calls.</summary>
    public string? TaskRef { get; init; }

    /// <summary>Gets what the estimate counts. Defaults to <see cref="AgentBill.UsageMeter.Units"/>.</summary>
    public UsageMeter Meter { get; init; } = UsageMeter.Units;

    /// <summary>Gets this call's ceiling. The tightest of this, the gate's and the client's ceiling applies.</summary>
    public long? Ceiling { get; init; }

    /// <summary>Gets how long the hold lives unsettled, or <see langword="null"/> for <see cref="AgentBillOptions.ReservationTtl"/>.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Gets a key that makes a retried preflight answer as the first one did instead of holding twice.</summary>
    public string? IdempotencyKey { get; init; }
}
