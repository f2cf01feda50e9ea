namespace AgentBill;

/// <summary>
/// Gates every call of a method: the AgentBill source generator intercepts each call site so a preflight
/// holds <see cref="EstimatedUnits"/> before the body runs and the actual usage is recorded after it. A call
/// it cannot intercept is a compile-time diagnostic, never a silent pass-through.
/// </summary>
/// <remarks>
/// The client is a field or property of type <see cref="IAgentBill"/> on the containing type, else
/// <see cref="AgentBillGate.DefaultClient"/>. The customer is the parameter marked <see cref="CustomerIdAttribute"/>,
/// else <see cref="CustomerId"/>, else the client's default customer. The body reports its real usage with
/// <see cref="GateUsage.Report(long)"/>; without a report the estimate is recorded.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class GateAttribute : Attribute
{
    /// <summary>Gates a method under an agent id.</summary>
    /// <param name="agentId">The label of what runs; it appears in usage reports.</param>
    public GateAttribute(string agentId) => AgentId = agentId;

    /// <summary>Gets the label of what runs.</summary>
    public string AgentId { get; }

    /// <summary>Gets or sets the units one call is expected to use. Defaults to 1.</summary>
    public long EstimatedUnits { get; set; } = 1;

    /// <summary>Gets or sets this gate's per-call ceiling; 0 means none. The tightest ceiling applies.</summary>
    public long Ceiling { get; set; }

    /// <summary>Gets or sets a constant customer, used when no parameter is marked <see cref="CustomerIdAttribute"/>.</summary>
    public string? CustomerId { get; set; }

    /// <summary>Gets or sets the task every call belongs to.</summary>
    public string? TaskRef { get; set; }

    /// <summary>Gets or sets what the units count. Defaults to <see cref="UsageMeter.Units"/>.</summary>
    public UsageMeter Meter { get; set; } = UsageMeter.Units;
}
