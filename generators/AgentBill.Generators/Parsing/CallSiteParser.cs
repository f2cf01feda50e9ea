using System.Threading;
using AgentBill.Generators.Diagnostics;
using AgentBill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentBill.Generators.Parsing;

/// <summary>
/// Finds the calls of gated methods, and the places that use a gated method without calling it. A call is
/// gated when it binds to a gated method, to an override of a gated virtual method, or to an implementation of a
/// gated interface member (see <see cref="GateRules.GoverningGate"/>).
/// </summary>
internal static class CallSiteParser
{
    /// <summary>
    /// Each gated method's model, by its symbol: a symbol belongs to one compilation (a referenced assembly's may be
    /// shared by several, and its model is the same for all), so the table is a memo of a pure function.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMethodSymbol, System.Runtime.CompilerServices.StrongBox<GatedMethod?>> ParsedMethods = new();

    /// <summary>Cheap syntax test run on every node: only invocations go on.</summary>
    public static bool IsCandidateCall(SyntaxNode node, CancellationToken cancellationToken)
        => node is InvocationExpressionSyntax invocation && CalledName(invocation) is not null;

    public static CallSiteResult? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var model = context.SemanticModel;
        // Only a call whose name some gated method has is bound: most of a project's calls never reach the semantic model.
        if (!GatedNames.MayBeGated(model.Compilation, CalledName(invocation)!)
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol symbol)
        {
            return null;
        }

        var called = (symbol.ReducedFrom ?? symbol).OriginalDefinition;
        if (GateRules.GoverningGate(called) is not { } governing)
        {
            return null;
        }

        // Read once per gated method and compilation, however many calls it has.
        var method = ParsedMethods.GetValue(governing.Gated, gated => new System.Runtime.CompilerServices.StrongBox<GatedMethod?>(GatedMethodParser.Parse(gated, governing.Gate, Location.None, model.Compilation.Assembly).Method)).Value;
        if (method is null)
        {
            // A source method's problems are reported once, at its declaration; a referenced assembly's at each call.
            return governing.Gated.Locations.Any(static l => l.IsInSource)
                ? null
                : new CallSiteResult(null, GatedMethodParser.Parse(governing.Gated, governing.Gate, invocation.GetLocation(), model.Compilation.Assembly).Problems.FirstOrDefault());
        }

        if (invocation.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax } && (called.IsVirtual || called.IsOverride || called.IsAbstract))
        {
            // base.Run() in an override of Run is part of the gated call that reached the override: gating it again
            // would hold twice, and forwarding it to the body would dispatch virtually back into the override.
            return IsInOverrideOf(model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken), called)
                ? null
                : Problem(invocation, method, "a base. call of a gated virtual method is gated only inside an override of it; call it without base., or from the override");
        }

        var same = SymbolEqualityComparer.Default.Equals(called, governing.Gated);
        if (!same && GateRules.CannotReceive(called) is { } reason)
        {
            // An override or implementation the generated interceptor cannot name or receive (a private class, a struct).
            return Problem(invocation, method, "it binds to '" + called.ContainingType.Name + "." + called.Name + "', and " + reason + "; or call it through '" + governing.Gated.ContainingType.Name + "'");
        }

        var location = model.GetInterceptableLocation(invocation, cancellationToken);
        if (location is null)
        {
            return Problem(invocation, method, "the compiler cannot intercept this call");
        }

        var signature = same ? method.Signature : GatedMethodParser.Signature(called);
        var bodyTypeArguments = same ? TypeArgumentList(signature.TypeParameters) : TypeArgumentList(BodyTypeArguments(governing.AsSeen, called));
        var casts = !same && !SymbolEqualityComparer.Default.Equals(called.ReturnType, governing.AsSeen.ReturnType);
        // The display location names the file by its full path: keep the file name so the output is the same on every machine.
        var display = location.GetDisplayLocation();
        var site = new CallSite(invocation.SyntaxTree.FilePath, location.Version, location.Data, display.Substring(display.LastIndexOfAny(['/', '\\']) + 1), signature, bodyTypeArguments, casts, method);
        return new CallSiteResult(site, null);
    }

    /// <summary>Cheap syntax test for a method name that is not the callee of an invocation.</summary>
    public static bool IsCandidateMethodGroup(SyntaxNode node, CancellationToken cancellationToken)
    {
        SyntaxNode name = node switch
        {
            SimpleNameSyntax simple when simple.Parent is not (MemberAccessExpressionSyntax or MemberBindingExpressionSyntax) => simple,
            MemberAccessExpressionSyntax access => access,
            _ => null!,
        };
        if (name is null || name.Parent is InvocationExpressionSyntax invocation && invocation.Expression == name)
        {
            return false;
        }

        // Places a method group can never stand, skipped before the semantic model is asked: the left of a member
        // access (`Agents` in `Agents.Run()`: a method group has no members), the target of an assignment, and a
        // conditional access (`a?.Run()` is a call: a method group cannot be the target of `?.`).
        if (name.Parent is MemberAccessExpressionSyntax { Expression: var accessed } && accessed == name
            || name.Parent is AssignmentExpressionSyntax { Left: var assigned } && assigned == name
            || name.Parent is ConditionalAccessExpressionSyntax)
        {
            return false;
        }

        // nameof(M) names a method without using it; a declaration's own name is not a use either.
        return !(name.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } });
    }

    public static DiagnosticInfo? ParseMethodGroup(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var simpleName = context.Node is MemberAccessExpressionSyntax access ? access.Name : (SimpleNameSyntax)context.Node;
        if (!GatedNames.MayBeGated(context.SemanticModel.Compilation, simpleName.Identifier.ValueText))
        {
            return null;
        }

        var info = context.SemanticModel.GetSymbolInfo(context.Node, cancellationToken);
        var symbol = info.Symbol ?? (info.CandidateReason == CandidateReason.OverloadResolutionFailure ? null : info.CandidateSymbols.FirstOrDefault());
        if (symbol is not IMethodSymbol method)
        {
            return null;
        }

        var target = (method.ReducedFrom ?? method).OriginalDefinition;
        return GateRules.GoverningGate(target) is null
            ? null
            : DiagnosticInfo.Create(DiagnosticDescriptors.UsedAsDelegate, context.Node.GetLocation(), target.ContainingType.Name + "." + target.Name);
    }

    /// <summary>The simple name of the method an invocation calls, when its callee is a name at all.</summary>
    private static string? CalledName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        _ => null,
    };

    private static CallSiteResult Problem(InvocationExpressionSyntax invocation, GatedMethod method, string reason)
        => new(null, DiagnosticInfo.Create(DiagnosticDescriptors.CannotIntercept, invocation.GetLocation(), method.DisplayName, reason));

    /// <summary>Whether the code is in a method that overrides <paramref name="called"/> (at any depth), or in a lambda or local function inside one.</summary>
    private static bool IsInOverrideOf(ISymbol? enclosing, IMethodSymbol called)
    {
        while (enclosing is IMethodSymbol { MethodKind: MethodKind.LambdaMethod or MethodKind.LocalFunction })
        {
            enclosing = enclosing.ContainingSymbol;
        }

        for (var current = (enclosing as IMethodSymbol)?.OverriddenMethod; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, called))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The type arguments that forward a call of an override or implementation to the gated method's body: the
    /// gated type's arguments as the called method's type sees them, then the called method's own type parameters
    /// (an override's type parameters stand, in order, for those of the method it overrides).
    /// </summary>
    private static IEnumerable<string> BodyTypeArguments(IMethodSymbol gatedAsSeen, IMethodSymbol called)
        => gatedAsSeen.ContainingType.TypeArguments.Select(static t => t.ToDisplayString(GateRules.TypeFormat))
            .Concat(called.TypeParameters.Select(static t => t.Name));

    private static string TypeArgumentList(IEnumerable<string> arguments)
    {
        var list = string.Join(", ", arguments);
        return list.Length == 0 ? string.Empty : "<" + list + ">";
    }
}
