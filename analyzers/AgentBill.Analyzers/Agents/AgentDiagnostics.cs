using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>
/// The diagnostics about Microsoft Agent Framework agents (AGB0006, AGB0007), in the AGB0xxx family: an agent's
/// model round-trips must each pass a chat gate below its function invocation.
/// </summary>
internal static class AgentDiagnostics
{
    public const string UngatedAgentChatClientId = "AGB0006";
    public const string UngatedAgentToolLoopId = "AGB0007";

    /// <summary>The diagnostic property that says how the chat client can be gated: see <see cref="WrapClient"/> and <c>FixProperties.BuildCall</c>.</summary>
    public const string FixKind = "AgentBill.AgentChatClientFix";

    /// <summary>The fix wraps the chat client (the first additional location) as <c>client.AsBuilder().UseAgentBill().Build()</c>.</summary>
    public const string WrapClient = "wrap";

    private const string HelpLinkBase = "https://github.com/agentbill/agentbill-dotnet/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UngatedAgentChatClient = new(
        UngatedAgentChatClientId,
        title: "AIAgent built on a chat client no AgentBill gate covers",
        messageFormat: "The agent made by '{0}' runs on a chat client without UseAgentBill(), so its model round-trips spend outside every budget; gate the chat client, or add UseAgentBill() to the agent's builder",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A ChatClientAgent calls its chat client once per round-trip of its tool loop. Without UseAgentBill() on that client (or on the agent's AIAgentBuilder, which inserts a gate below function invocation), no budget sees those calls.",
        helpLinkUri: HelpLinkBase + UngatedAgentChatClientId + ".md");

    public static readonly DiagnosticDescriptor UngatedAgentToolLoop = new(
        UngatedAgentToolLoopId,
        title: "UseAgentBill() on an agent whose chat client runs its own ungated tool loop",
        messageFormat: "The agent's chat client runs its own tool loop (UseFunctionInvocation()) with no UseAgentBill() inside it; the agent's UseAgentBill() cannot gate those round-trips and Build() throws: add UseAgentBill() after UseFunctionInvocation()",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The agent-run middleware inserts a chat gate below the agent's function invocation only when the agent adds that loop itself. A loop built into the chat client is closed to it: only a UseAgentBill() inside that chat client pipeline sees each round-trip.",
        helpLinkUri: HelpLinkBase + UngatedAgentToolLoopId + ".md");
}
