namespace AgentBill.Extensions.AI;

/// <summary>
/// Names the customer, task and agent of every model call in the current async flow: the chat-flavoured spelling
/// of <see cref="AgentBillContext.Begin"/>, which it is. <c>[Gate]</c> bodies, the chat and embedding gates and
/// the agent-framework integrations all read and set that one <see cref="AgentBillContext"/>.
/// <code>
/// using (AgentBillChatScope.Begin(customerId: "acme", taskRef: "report-42"))
/// {
///     await chatClient.GetResponseAsync("...");
/// }
/// </code>
/// </summary>
public static class AgentBillChatScope
{
    /// <summary>Gets the context of the current async flow, or <see langword="null"/>.</summary>
    public static AgentBillContext? Current => AgentBillContext.Current;

    /// <summary>Starts a context; dispose it to restore the one before. A nested context inherits what it does not set.</summary>
    /// <param name="customerId">The customer whose budget pays, or <see langword="null"/> to inherit it.</param>
    /// <param name="taskRef">The task the calls belong to, or <see langword="null"/> to inherit it.</param>
    /// <param name="agentId">The agent label, or <see langword="null"/> to inherit it.</param>
    /// <returns>The new current context.</returns>
    /// <exception cref="ArgumentException">An id is empty, too long or holds a control character.</exception>
    public static AgentBillContext Begin(string? customerId = null, string? taskRef = null, string? agentId = null)
        => AgentBillContext.Begin(customerId, taskRef, agentId);
}
