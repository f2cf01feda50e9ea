namespace AgentBill.Agents.AI;

/// <summary>
/// The keys the agent-run middleware writes to an <c>AgentResponse</c>'s (and the last streamed update's)
/// <c>AdditionalProperties</c>. The keys it reads from <c>AgentRunOptions.AdditionalProperties</c> are the chat gate's
/// (<see cref="Extensions.AI.AgentBillPropertyNames.CustomerId"/>, <see cref="Extensions.AI.AgentBillPropertyNames.TaskRef"/>).
/// </summary>
public static class AgentBillAgentPropertyNames
{
    /// <summary>Written: what the run spent (an <see cref="AgentRunUsage"/>).</summary>
    public const string RunUsage = "agentbill.run_usage";

    /// <summary>The session state key of the session's customer (a string), set with <see cref="AgentBillSessionExtensions.SetAgentBillCustomer"/>.</summary>
    public const string SessionCustomerId = "agentbill.customer_id";

    /// <summary>The session state key of the task every run of the session is charged to (a string), made on the session's first run.</summary>
    public const string SessionTaskRef = "agentbill.task_ref";
}
