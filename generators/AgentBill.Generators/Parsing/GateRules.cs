using System;
using System.Collections.Generic;
using System.Linq;
using AgentBill.Generators.Model;
using Microsoft.CodeAnalysis;

namespace AgentBill.Generators.Parsing;

/// <summary>
/// What the <c>[Gate]</c> generator accepts, decided from symbols alone. The generator reads gates with it, and the
/// analyzers' code fix asks it before offering <c>[Gate]</c>, so the fix is offered only where the generator takes
/// the gate. The file is compiled into both assemblies (linked, never copied).
/// </summary>
internal static class GateRules
{
    public const string GateAttribute = "AgentBill.GateAttribute";
    public const string CustomerIdAttribute = "AgentBill.CustomerIdAttribute";
    private const string AgentBillInterface = "global::AgentBill.IAgentBill";

    public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The method's own <c>[Gate]</c>, matched by the attribute's full name.</summary>
    public static AttributeData? FindGate(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            // The name first: the full name is only built for an attribute that can be the gate.
            if (attribute.AttributeClass is { Name: "GateAttribute" } type && type.ToDisplayString() == GateAttribute)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// The gate that governs a call of <paramref name="method"/>: its own, else that of the virtual method it
    /// overrides (at any depth), else that of an interface member it implements. <c>AsSeen</c> is the gated member
    /// as the method's type sees it (type arguments substituted), so a call can be forwarded to the gate's body.
    /// </summary>
    public static (IMethodSymbol Gated, AttributeData Gate, IMethodSymbol AsSeen)? GoverningGate(IMethodSymbol method)
    {
        for (IMethodSymbol? current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod)
        {
            if (FindGate(current.OriginalDefinition) is { } gate)
            {
                return (current.OriginalDefinition, gate, current);
            }

            foreach (var member in ImplementedInterfaceMembers(current))
            {
                if (FindGate(member.OriginalDefinition) is { } interfaceGate)
                {
                    return (member.OriginalDefinition, interfaceGate, member);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The member through which calls could reach this method without its gate: the method it overrides, or an
    /// interface member it implements. Calls through that member, in any assembly, cannot be told to be calls of
    /// this method, so a gate here would be skipped by them.
    /// </summary>
    public static IMethodSymbol? InheritedContract(IMethodSymbol method)
        => method.IsOverride && method.OverriddenMethod is { } overridden
            ? overridden
            : ImplementedInterfaceMembers(method).FirstOrDefault();

    /// <summary>Why calls of the method cannot be intercepted, or null when they can.</summary>
    public static string? CannotIntercept(IMethodSymbol method, IAssemblySymbol assembly)
    {
        var async = ReadShape(method, out _, out var unsupported) is not (ReturnShape.Void or ReturnShape.Value);
        var type = method.ContainingType;
        var accessible = IsAccessible(method, assembly);
        return method.MethodKind is MethodKind.LambdaMethod or MethodKind.LocalFunction ? "a lambda or local function cannot be intercepted; gate the method that holds it"
            : method.MethodKind != MethodKind.Ordinary ? "only ordinary methods can be gated"
            : unsupported is not null ? unsupported
            : async && method.Parameters.Any(static p => p.RefKind != RefKind.None) ? "an asynchronous method cannot pass ref, out or in parameters through its gate"
            : async && method.Parameters.Any(static p => p.Type.IsRefLikeType) ? "an asynchronous method cannot keep a ref struct parameter across its gate"
            : type.TypeKind == TypeKind.Interface && method.IsStatic && (method.IsAbstract || method.IsVirtual) ? "a static abstract or virtual interface member is called through a type parameter, which cannot be intercepted"
            : type.TypeKind == TypeKind.Interface && method.DeclaredAccessibility != Accessibility.Public ? "a non-public interface member cannot be reached by generated code; make it public"
            : CannotReceive(method) is { } signature ? signature
            : !accessible && type.IsStatic ? "generated code reaches a private method through [UnsafeAccessor], which cannot take a static class; make it internal"
            : !accessible && (method.IsGenericMethod || type.IsGenericType) ? "a generic method, or a method of a generic type, must be internal or public to be gated"
            : type.IsGenericType && FindClient(method) is { Accessible: false } ? "the IAgentBill field or property of a generic type must be internal or public"
            : null;
    }

    /// <summary>
    /// Why an interceptor cannot repeat the signature of a call of the method (it need not call the method itself:
    /// the gating body does), or null. Also asked of the override or implementation a call binds to.
    /// </summary>
    public static string? CannotReceive(IMethodSymbol method)
    {
        var type = method.ContainingType;
        var typeParameters = type.TypeParameters.Concat(method.TypeParameters).ToList();
        return type.IsValueType && !method.IsStatic ? "instance methods of structs are not supported; make it static or a class member"
            : method.ReturnType is IPointerTypeSymbol or IFunctionPointerTypeSymbol || method.Parameters.Any(static p => p.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol) ? "a pointer in its signature needs an unsafe context the generated code does not have"
            : IsNestedInGenericType(type) ? "a method of a type nested in a generic type cannot be gated; move the type out of it"
            : Unnameable(method) is { } hidden ? "generated code cannot name its type '" + hidden.ToDisplayString() + "' (private, protected or file-local); make that type internal or public"
            : typeParameters.Select(static t => t.Name).Distinct().Count() != typeParameters.Count ? "its type parameters reuse a name of its type's type parameters"
            : null;
    }

    /// <summary>How the method returns, which decides how its gate waits for the run to end.</summary>
    public static ReturnShape ReadShape(IMethodSymbol method, out string? elementType, out string? unsupported)
    {
        elementType = null;
        unsupported = null;
        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            unsupported = "it returns by reference";
            return ReturnShape.Value;
        }

        if (method.ReturnsVoid)
        {
            if (method.IsAsync)
            {
                unsupported = "an async void method cannot be awaited, so its end cannot be recorded; return Task";
            }

            return ReturnShape.Void;
        }

        var type = method.ReturnType as INamedTypeSymbol;
        if (type is { IsGenericType: true } && type.TypeArguments.Length == 1)
        {
            elementType = type.TypeArguments[0].ToDisplayString(TypeFormat);
        }

        return type?.OriginalDefinition.ToDisplayString() switch
        {
            "System.Threading.Tasks.Task" => ReturnShape.Task,
            "System.Threading.Tasks.Task<TResult>" => ReturnShape.TaskOfT,
            "System.Threading.Tasks.ValueTask" => ReturnShape.ValueTask,
            "System.Threading.Tasks.ValueTask<TResult>" => ReturnShape.ValueTaskOfT,
            "System.Collections.Generic.IAsyncEnumerable<T>" => ReturnShape.AsyncEnumerable,
            _ => ReturnShape.Value,
        };
    }

    /// <summary>The parameters marked <c>[CustomerId]</c>, in order.</summary>
    public static IEnumerable<IParameterSymbol> CustomerParameters(IMethodSymbol method)
        => method.Parameters.Where(static p => p.GetAttributes().Any(static a => a.AttributeClass?.ToDisplayString() == CustomerIdAttribute));

    /// <summary>Whether a <c>[CustomerId]</c> parameter can carry the customer: a string that is read, not written.</summary>
    public static bool CanNameCustomer(IParameterSymbol parameter)
        => parameter.Type.SpecialType == SpecialType.System_String && parameter.RefKind != RefKind.Out;

    /// <summary>Whether the gate can be taken as declared: it is interceptable, inherits no contract, and names one customer at most.</summary>
    public static bool Accepts(IMethodSymbol method, IAssemblySymbol assembly)
    {
        var customers = CustomerParameters(method).ToList();
        return CannotIntercept(method, assembly) is null
               && InheritedContract(method) is null
               && customers.Count <= 1
               && customers.All(CanNameCustomer);
    }

    /// <summary>Whether code in the caller's assembly, outside the method's type, can call it directly.</summary>
    public static bool IsAccessible(IMethodSymbol method, IAssemblySymbol caller)
    {
        var sameAssembly = SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, caller);
        for (ISymbol? symbol = method; symbol is IMethodSymbol or INamedTypeSymbol; symbol = symbol.ContainingType)
        {
            var ok = symbol.DeclaredAccessibility switch
            {
                Accessibility.Public => true,
                Accessibility.Internal or Accessibility.ProtectedOrInternal => sameAssembly,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first field or property of the method's type (or its bases) that holds an <c>IAgentBill</c>, and whether code outside the type can read it.</summary>
    public static (ISymbol Member, ITypeSymbol Type, bool Accessible)? FindClient(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || (method.IsStatic && !member.IsStatic) || member is IPropertySymbol { GetMethod: null } or IPropertySymbol { IsIndexer: true })
                {
                    continue;
                }

                var memberType = member switch
                {
                    IFieldSymbol field => field.Type,
                    IPropertySymbol property => property.Type,
                    _ => null,
                };
                if (memberType is not null && HoldsAgentBill(memberType))
                {
                    var accessible = member.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
                        && SymbolEqualityComparer.Default.Equals(type, method.ContainingType);
                    return (member, memberType, accessible);
                }
            }
        }

        return null;
    }

    /// <summary>The interface members the method implements, implicitly or explicitly.</summary>
    private static IEnumerable<IMethodSymbol> ImplementedInterfaceMembers(IMethodSymbol method)
    {
        foreach (var member in method.ExplicitInterfaceImplementations)
        {
            yield return member;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { TypeKind: not TypeKind.Interface } type)
        {
            yield break;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            foreach (var member in implemented.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate
                    && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method.OriginalDefinition))
                {
                    yield return candidate;
                }
            }
        }
    }

    /// <summary>The first type in the method's signature (its type, return, parameters, constraints) that code in another type cannot name.</summary>
    private static ITypeSymbol? Unnameable(IMethodSymbol method)
    {
        var types = new List<ITypeSymbol> { method.ContainingType, method.ReturnType };
        types.AddRange(method.Parameters.Select(static p => p.Type));
        types.AddRange(method.ContainingType.TypeParameters.Concat(method.TypeParameters).SelectMany(static t => t.ConstraintTypes));
        return types.FirstOrDefault(static t => !IsNameable(t));
    }

    private static bool IsNestedInGenericType(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNameable(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        IPointerTypeSymbol pointer => IsNameable(pointer.PointedAtType),
        INamedTypeSymbol named => !named.IsFileLocal
            && named.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
            && (named.ContainingType is null || IsNameable(named.ContainingType))
            && named.TypeArguments.All(IsNameable),
        _ => true,
    };

    private static bool HoldsAgentBill(ITypeSymbol type)
        => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == AgentBillInterface || type.AllInterfaces.Any(static i => i.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == AgentBillInterface);
}
