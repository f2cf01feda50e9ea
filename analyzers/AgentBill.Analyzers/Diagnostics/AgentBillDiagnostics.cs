using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>The one catalogue of AgentBill analyzer diagnostics (ids AGB0xxx; the generator owns AGB1xxx).</summary>
internal static class AgentBillDiagnostics
{
    private const string HelpLinkBase = "https://github.com/agentbill/agentbill-dotnet/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor UngatedLlmCall = Create(
        DiagnosticIds.UngatedLlmCall,
        title: "LLM call not covered by any AgentBill gate",
        message: "'{0}' in '{1}' calls a model that no AgentBill gate covers; gate the method with [Gate] or build the client with UseAgentBill()",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        description: "A call to a model API that no [Gate], no UseAgentBill() pipeline and no AgentBill Semantic Kernel filter covers spends money no budget sees.");

    public static readonly DiagnosticDescriptor UnsettledReservation = Create(
        DiagnosticIds.UnsettledReservation,
        title: "Reservation is never committed or disposed",
        message: "The reservation from '{0}' is never committed, released or disposed: its units stay held until the hold expires",
        category: "AgentBill.Reliability",
        DiagnosticSeverity.Warning,
        description: "A reservation holds budget until CommitAsync settles it or disposal releases it; one that is dropped keeps the units from every other run until its TTL runs out, and the real usage is never recorded.");

    public static readonly DiagnosticDescriptor UncheckedApproval = Create(
        DiagnosticIds.UncheckedApproval,
        title: "Budget answer is never checked",
        message: "The result of '{0}' is never checked for Approved: a refusal will not stop the run",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        description: "PreflightAsync and TopUpAsync never throw for a refusal; code that ignores Approved (or EnsureApproved()) runs past an exhausted budget.");

    public static readonly DiagnosticDescriptor GateOutsideToolLoop = Create(
        DiagnosticIds.GateOutsideToolLoop,
        title: "UseAgentBill() is outside UseFunctionInvocation()",
        message: "UseAgentBill() comes before {0}() in this pipeline, so one hold covers the whole tool loop; call UseAgentBill() after it to gate every round-trip",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        description: "The first Use() is the outermost middleware. Outside the function-invocation loop the gate sees only the first request, so a long tool loop can spend past the budget before it is settled.");

    // The same id as GateOutsideToolLoop: both say the gated tool loop is not in the recommended order.
    public static readonly DiagnosticDescriptor ToolLoopWithoutContextCapture = Create(
        DiagnosticIds.GateOutsideToolLoop,
        title: "UseAgentBillContext() is not the first step of a gated tool loop's pipeline",
        message: "{0}() starts its model calls only when its stream is read, after the AgentBillContext it was made in may have ended; call UseAgentBillContext() first in this pipeline (or use UseAgentBillWithFunctionInvocation()) so they are charged to that context's customer",
        category: "AgentBill.Coverage",
        DiagnosticSeverity.Warning,
        description: "Only the outermost client of a pipeline is called while the caller's AgentBillContext is current; a streaming call enumerated later (an endpoint returning IAsyncEnumerable) runs every client inside it afterwards. Without UseAgentBillContext() first, the gate inside the tool loop sees no context and charges the default customer, or throws CustomerRequiredException with RequireCustomer.");

    public static readonly DiagnosticDescriptor UnresolvedLlmApi = Create(
        DiagnosticIds.UnresolvedLlmApi,
        title: "Configured LLM API matches no symbol",
        message: "The entry '{0}' of agentbill.llm_apis matches no type or method in this compilation, so calls to it are not checked",
        category: "AgentBill.Configuration",
        DiagnosticSeverity.Warning,
        description: "Entries of agentbill.llm_apis are 'T:Namespace.Type' or 'M:Namespace.Type.Method' separated by ';'. An entry that resolves to nothing (a typo, a missing reference) silently checks nothing.",
        WellKnownDiagnosticTags.CompilationEnd);

    private static DiagnosticDescriptor Create(
        string id, string title, string message, string category, DiagnosticSeverity severity, string description, params string[] customTags)
        => new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLinkBase + id + ".md", customTags);
}
