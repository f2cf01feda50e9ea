using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// Whether a model call is covered by a gate the analyzer can see: a gated enclosing method, a client that is an
/// AgentBill client or was built with <c>UseAgentBill()</c> in view, or a kernel with AgentBill filters added in view.
/// </summary>
internal sealed class GateCoverage(KnownSymbols symbols)
{
    public bool IsCovered(IInvocationOperation call, ISymbol containingSymbol)
        => InGatedMethod(containingSymbol) || InDelegatingClient(containingSymbol) || GatedReceiver(call);

    /// <summary>The receiver of a call: the instance, or the first argument of an extension method.</summary>
    public static IOperation? Receiver(IInvocationOperation call)
    {
        var receiver = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
        while (receiver is IConversionOperation conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver;
    }

    /// <summary>The expression a local or field got its value from, when it is in view: its initializer.</summary>
    public static IOperation? SourceOf(IOperation receiver)
    {
        var symbol = receiver switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };
        var syntax = symbol?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() as VariableDeclaratorSyntax;
        if (syntax?.Initializer?.Value is not { } value || receiver.SemanticModel is not { } model)
        {
            return null;
        }

        var operation = model.SyntaxTree == value.SyntaxTree ? model.GetOperation(value) : model.Compilation.GetSemanticModel(value.SyntaxTree).GetOperation(value);
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private bool InGatedMethod(ISymbol containingSymbol)
    {
        // Lambdas and local functions inside a gated method run inside its gate.
        for (var symbol = containingSymbol; symbol is IMethodSymbol method; symbol = symbol.ContainingSymbol)
        {
            if (method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.GateAttribute)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A delegating client forwards calls through a pipeline; the pipeline, not the forwarding, is gated.</summary>
    private bool InDelegatingClient(ISymbol containingSymbol)
        => symbols.DelegatingTypes.Any(type => KnownSymbols.DerivesFrom(containingSymbol.ContainingType, type));

    private bool GatedReceiver(IInvocationOperation call)
    {
        if (Receiver(call) is not { } receiver)
        {
            return false;
        }

        if (symbols.GatedClientTypes.Any(type => KnownSymbols.DerivesFrom(receiver.Type, type)))
        {
            return true;
        }

        if (SourceOf(receiver) is { } source && source.DescendantsAndSelf().OfType<IInvocationOperation>().Any(IsUseAgentBill))
        {
            return true;
        }

        return KnownSymbols.DerivesFrom(receiver.Type, symbols.Kernel) && KernelHasAgentBillFilters(call);
    }

    private static bool IsUseAgentBill(IInvocationOperation invocation)
        => invocation.TargetMethod.Name == "UseAgentBill" && KnownSymbols.IsInAgentBillNamespace(invocation.TargetMethod.ContainingType);

    /// <summary>A filter of AgentBill's added to the kernel's filter lists in the same method.</summary>
    private static bool KernelHasAgentBillFilters(IInvocationOperation call)
    {
        var root = call.Syntax.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (root is null || call.SemanticModel is not { } model)
        {
            return false;
        }

        foreach (var invocation in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add", Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FunctionInvocationFilters" or "AutoFunctionInvocationFilters" or "PromptRenderFilters" } }
                && invocation.ArgumentList.Arguments.Count == 1
                && KnownSymbols.IsInAgentBillNamespace(model.GetTypeInfo(invocation.ArgumentList.Arguments[0].Expression).Type))
            {
                return true;
            }
        }

        return false;
    }
}
