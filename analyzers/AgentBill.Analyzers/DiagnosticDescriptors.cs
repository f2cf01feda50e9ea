using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>Every diagnostic of the AgentBill analyzers. Each id has a page under <c>docs/diagnostics/</c>.</summary>
internal static class DiagnosticDescriptors
{
    private const string HelpRoot = "https://github.com/agentbill/agentbill-dotnet/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UngatedModelCall = new(
        "AGB0001",
        "A call to a language model that no gate covers",
        "'{0}' calls a language model outside any AgentBill gate: its cost is never checked against a budget",
        "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Gate the enclosing method with [Gate], build the client with UseAgentBill(), or register AgentBill's Semantic Kernel filters.",
        helpLinkUri: HelpRoot + "AGB0001.md");

    public static readonly DiagnosticDescriptor ReservationNeverSettled = new(
        "AGB0002",
        "A reservation that is never committed or disposed",
        "The reservation '{0}' is never committed, released or disposed: its units stay held until its TTL and the run's usage is never recorded",
        "AgentBill.Usage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpRoot + "AGB0002.md");

    public static readonly DiagnosticDescriptor PreflightIgnored = new(
        "AGB0003",
        "A preflight whose answer is ignored",
        "The answer of this preflight is ignored: a refused run goes ahead anyway; check Approved, call EnsureApproved(), or use ReserveAsync",
        "AgentBill.Usage",
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpRoot + "AGB0003.md");
}
