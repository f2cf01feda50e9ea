namespace AgentBill;

/// <summary>What a preflight does when the budget store cannot be reached.</summary>
public enum AgentBillFailureMode
{
    /// <summary>Throw <see cref="AgentBillUnavailableException"/>: no run starts unchecked. The default.</summary>
    FailClosed = 0,

    /// <summary>Approve without a hold, mark the result degraded and count it in a metric.</summary>
    FailOpen = 1,
}
