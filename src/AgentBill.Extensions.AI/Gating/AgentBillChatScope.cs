namespace AgentBill.Extensions.AI;

/// <summary>
/// An ambient customer, task and agent for every model call in the current async flow, so code deep inside an
/// agent need not thread them through <c>ChatOptions</c>:
/// <code>
/// using (AgentBillChatScope.Begin(customerId: "acme", taskRef: "report-42"))
/// {
///     await chatClient.GetResponseAsync("...");
/// }
/// </code>
/// A value named on the call's options wins over the scope. A nested scope inherits what it does not set.
/// </summary>
public sealed class AgentBillChatScope : IDisposable
{
    private static readonly AsyncLocal<AgentBillChatScope?> Ambient = new();

    private readonly AgentBillChatScope? _outer;
    private bool _disposed;

    private AgentBillChatScope(AgentBillChatScope? outer, string? customerId, string? taskRef, string? agentId)
    {
        _outer = outer;
        CustomerId = customerId ?? outer?.CustomerId;
        TaskRef = taskRef ?? outer?.TaskRef;
        AgentId = agentId ?? outer?.AgentId;
    }

    /// <summary>Gets the scope of the current async flow, or <see langword="null"/>.</summary>
    public static AgentBillChatScope? Current => Ambient.Value;

    /// <summary>Gets the customer whose budget pays, or <see langword="null"/>.</summary>
    public string? CustomerId { get; }

    /// <summary>Gets the task the calls belong to, or <see langword="null"/>.</summary>
    public string? TaskRef { get; }

    /// <summary>Gets the agent label of the calls, or <see langword="null"/> for the gate's.</summary>
    public string? AgentId { get; }

    /// <summary>Starts a scope; dispose it to restore the one before. Ids are validated by the gate at each call.</summary>
    /// <param name="customerId">The customer whose budget pays, or <see langword="null"/> to inherit it.</param>
    /// <param name="taskRef">The task the calls belong to, or <see langword="null"/> to inherit it.</param>
    /// <param name="agentId">The agent label, or <see langword="null"/> to inherit it.</param>
    /// <returns>The scope.</returns>
    public static AgentBillChatScope Begin(string? customerId = null, string? taskRef = null, string? agentId = null)
    {
        var scope = new AgentBillChatScope(Ambient.Value, customerId, taskRef, agentId);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>Ends the scope, restoring the one it was started in.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = _outer;
        }
    }
}
