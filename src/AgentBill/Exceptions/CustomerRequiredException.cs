namespace AgentBill;

/// <summary>
/// Thrown, with <see cref="AgentBillOptions.RequireCustomer"/> on, by a preflight, reservation, record, top-up,
/// extension or release whose customer comes from nowhere: the call names none, no <see cref="AgentBillContext"/>
/// names one and no gate's customer selector chose one. It is thrown before the store is touched: nothing was held,
/// charged or released.
/// </summary>
/// <remarks>
/// A caller's or configuration error, not a budget decision, so it is an <see cref="AgentBillException"/> and not an
/// <see cref="AgentBillRefusedException"/>: a gate in a mode that answers refusals (a chat gate's
/// <c>ReturnResponse</c>, a tool loop that stops gracefully) never turns it into a polite "budget exhausted", and
/// retrying cannot help. The fix is in the code that made the call: name the customer on it, begin an
/// <see cref="AgentBillContext"/> around it, or, for a stream enumerated after its scope ended, capture the context
/// when the stream is made (<c>UseAgentBillContext()</c> outermost in a chat pipeline).
/// </remarks>
public sealed class CustomerRequiredException : AgentBillException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation refused, such as <c>PreflightAsync</c>.</param>
    /// <param name="agentId">The agent the call was for, when it names one.</param>
    public CustomerRequiredException(string operation, string? agentId = null)
        : base(
            $"{operation} names no customer, none is current in an {nameof(AgentBillContext)} and none was selected, and "
            + $"{nameof(AgentBillOptions)}.{nameof(AgentBillOptions.RequireCustomer)} is on, so it is not charged to the default customer. "
            + "Name the customer on the call or begin an AgentBillContext around it (a stream enumerated after its scope ended needs "
            + "UseAgentBillContext() outermost in its chat pipeline). Nothing was held or charged.")
    {
        Operation = operation;
        AgentId = agentId;
    }

    /// <summary>Gets the operation refused, such as <c>PreflightAsync</c>.</summary>
    public string Operation { get; }

    /// <summary>Gets the agent the call was for, or <see langword="null"/> when it named none.</summary>
    public string? AgentId { get; }
}
