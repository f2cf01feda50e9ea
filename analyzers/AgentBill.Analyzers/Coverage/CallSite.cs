using AgentBill.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>Facts about where a call is written: the methods around it, and how to name and point at it.</summary>
internal static class CallSite
{
    /// <summary>Gets whether the call, or a lambda or local function around it, or its member, carries one of the attributes.</summary>
    public static bool IsInsideMethodWith(IOperation operation, ISymbol containingMember, System.Func<ISymbol, bool> hasAttribute)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            var method = current switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation localFunction => localFunction.Symbol,
                _ => null,
            };
            if (method is not null && hasAttribute(method))
            {
                return true;
            }
        }

        return containingMember is IMethodSymbol && hasAttribute(containingMember);
    }

    /// <summary>Gets the member name a user recognises; top-level statements have none of their own.</summary>
    public static string DisplayName(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name,
        IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet, AssociatedSymbol: { } property } => property.Name,
        IMethodSymbol { IsImplicitlyDeclared: true } => "top-level statements",
        IMethodSymbol { Name: "<Main>$" } => "top-level statements",
        _ => member.Name,
    };

    /// <summary>Gets the API as a user would name it: extension methods under the type they extend.</summary>
    public static string ApiName(IMethodSymbol method)
    {
        var definition = method.ReducedFrom ?? method;
        var owner = definition.ExtendedType() ?? definition.ContainingType;
        return owner.Name + "." + definition.Name;
    }

    /// <summary>Gets the location of the called method's name, which is what the squiggle should underline.</summary>
    public static Location NameLocation(IInvocationOperation invocation)
    {
        var syntax = invocation.Syntax is InvocationExpressionSyntax call ? call.Expression : invocation.Syntax;
        return syntax switch
        {
            MemberAccessExpressionSyntax memberAccess => memberAccess.Name.GetLocation(),
            MemberBindingExpressionSyntax memberBinding => memberBinding.Name.GetLocation(),
            _ => syntax.GetLocation(),
        };
    }

    /// <summary>
    /// Gets whether [Gate] can be added to the member: an ordinary method declared in source that the [Gate]
    /// generator accepts as it is (the generator's own rules, so the fix never breaks the build).
    /// </summary>
    public static bool CanCarryGate(ISymbol member, IAssemblySymbol assembly)
        => member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsImplicitlyDeclared: false } method
           && method.DeclaringSyntaxReferences.Length > 0
           && method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax
           && GateRules.Accepts(method, assembly);
}
