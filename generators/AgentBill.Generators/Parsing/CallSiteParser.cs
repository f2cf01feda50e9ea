using System.Threading;
using AgentBill.Generators.Diagnostics;
using AgentBill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBill.Generators.Parsing;

/// <summary>Finds the calls of gated methods, and the places that use a gated method without calling it.</summary>
internal static class CallSiteParser
{
    /// <summary>Cheap syntax test run on every node: only invocations go on to the semantic model.</summary>
    public static bool IsCandidateCall(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax or MemberBindingExpressionSyntax };

    public static CallSiteResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol called)
        {
            return null;
        }

        var target = (called.ReducedFrom ?? called).OriginalDefinition;
        if (GatedMethodParser.FindGate(target) is not { } gate)
        {
            return null;
        }

        var (method, problems) = GatedMethodParser.Parse(target, gate, invocation.GetLocation(), context.SemanticModel.Compilation.Assembly);
        // A source method's problems are reported once, at its declaration; a referenced assembly's at each call.
        var reportHere = target.Locations.Any(static l => l.IsInSource) ? null : problems.FirstOrDefault();
        if (method is null)
        {
            return new CallSiteResult(null, reportHere);
        }

        var location = context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken);
        if (location is null)
        {
            return new CallSiteResult(null, DiagnosticInfo.Create(DiagnosticDescriptors.CannotIntercept, invocation.GetLocation(), method.DisplayName, "the compiler cannot intercept this call"));
        }

        // The display location names the file by its full path: keep the file name so the output is the same on every machine.
        var display = location.GetDisplayLocation();
        var site = new CallSite(invocation.SyntaxTree.FilePath, location.Version, location.Data, display.Substring(display.LastIndexOfAny(['/', '\\']) + 1), method);
        return new CallSiteResult(site, null);
    }

    /// <summary>Cheap syntax test for a method name that is not the callee of an invocation.</summary>
    public static bool IsCandidateMethodGroup(SyntaxNode node, CancellationToken cancellationToken)
    {
        SyntaxNode name = node switch
        {
            IdentifierNameSyntax identifier when identifier.Parent is not MemberAccessExpressionSyntax { Name: var n } || n != identifier => identifier,
            MemberAccessExpressionSyntax access => access,
            _ => null!,
        };
        if (name is null || name.Parent is InvocationExpressionSyntax invocation && invocation.Expression == name)
        {
            return false;
        }

        // Places a method group can never stand, skipped before the semantic model is asked: the left of a member
        // access (`Agents` in `Agents.Run()`: a method group has no members) and the target of an assignment.
        // Without this every type and variable name of a project would be bound.
        if (name.Parent is MemberAccessExpressionSyntax { Expression: var accessed } && accessed == name
            || name.Parent is AssignmentExpressionSyntax { Left: var assigned } && assigned == name)
        {
            return false;
        }

        // nameof(M) names a method without using it; a declaration's own name is not a use either.
        return !(name.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } })
            && name.Parent is not ConditionalAccessExpressionSyntax;
    }

    public static DiagnosticInfo? ParseMethodGroup(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var info = context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken);
        var symbol = info.Symbol ?? (info.CandidateReason == CandidateReason.OverloadResolutionFailure ? null : info.CandidateSymbols.FirstOrDefault());
        if (symbol is not IMethodSymbol method || context.Node.Parent is InvocationExpressionSyntax)
        {
            return null;
        }

        var target = (method.ReducedFrom ?? method).OriginalDefinition;
        return GatedMethodParser.FindGate(target) is null
            ? null
            : DiagnosticInfo.Create(DiagnosticDescriptors.UsedAsDelegate, context.Node.GetLocation(), target.ContainingType.Name + "." + target.Name);
    }
}
