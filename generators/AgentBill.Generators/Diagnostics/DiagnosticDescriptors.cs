using Microsoft.CodeAnalysis;

namespace AgentBill.Generators.Diagnostics;

/// <summary>Every diagnostic of the <c>[Gate]</c> generator. Each id has a page under <c>docs/diagnostics/</c>.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AgentBill.Gate";
    private const string HelpRoot = "https://github.com/agentbill/agentbill-dotnet/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor CannotIntercept = Create(
        "AGB1001",
        "A gated method has a shape that cannot be intercepted",
        "'{0}' is gated but cannot be intercepted: {1}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor EstimateAboveCeiling = Create(
        "AGB1002",
        "The gate's estimate is above its ceiling",
        "[Gate] on '{0}' estimates {1} units, above its ceiling of {2}: every call would be refused",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor EmptyAgentId = Create(
        "AGB1003",
        "The gate has no agent id",
        "[Gate] on '{0}' needs a non-empty agent id without control characters, at most 128 characters long",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UsedAsDelegate = Create(
        "AGB1004",
        "A gated method is used as a delegate or method group",
        "'{0}' is gated, but calls through this delegate or method group are not gated: call it directly, or gate the delegate's target",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CustomerIdNotString = Create(
        "AGB1005",
        "[CustomerId] marks a parameter that is not a string",
        "[CustomerId] marks parameter '{0}' of type '{1}': the customer id must be a string",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidEstimate = Create(
        "AGB1006",
        "The gate's estimate or ceiling is out of range",
        "[Gate] on '{0}' has {1} = {2}: it must be from 0 to 1000000000000000",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor GateOnInheritedMember = Create(
        "AGB1007",
        "A gate on an override or interface implementation would be skipped",
        "[Gate] on '{0}' would be skipped by calls through '{1}', which it {2}: put the gate on '{1}' (it then covers every {3}), or move the body into a gated method that this one calls",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SeveralCustomerIds = Create(
        "AGB1008",
        "More than one parameter is marked [CustomerId]",
        "[Gate] on '{0}' has several parameters marked [CustomerId] ({1}): mark only the one that names the customer who pays",
        DiagnosticSeverity.Error);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
    {
        CannotIntercept, EstimateAboveCeiling, EmptyAgentId, UsedAsDelegate, CustomerIdNotString, InvalidEstimate, GateOnInheritedMember, SeveralCustomerIds,
    }.ToDictionary(static d => d.Id);

    public static DiagnosticDescriptor ById(string id) => All[id];

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity)
        => new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
