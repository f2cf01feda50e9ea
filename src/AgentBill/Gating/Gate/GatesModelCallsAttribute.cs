namespace AgentBill;

/// <summary>
/// Marks a type or method that puts an AgentBill gate on the model calls that go through it: a client that gates
/// each call it forwards (<c>AgentBillChatClient</c>), a pipeline step that adds such a client (<c>UseAgentBill()</c>),
/// or a Semantic Kernel filter that gates the functions it sees. The AGB0001 analyzer counts a model call on such a
/// client, or on a pipeline or kernel configured through such a method, as covered; it decides by this attribute,
/// never by names. Mark your own gating wrappers with it too.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class GatesModelCallsAttribute : Attribute
{
}
