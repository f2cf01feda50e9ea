using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>Symbol tests shared by the rules; generic types compare by their definition.</summary>
internal static class SymbolExtensions
{
    public static bool IsOrDerivesFrom(this ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsOrImplements(this ITypeSymbol? type, INamedTypeSymbol? interfaceType)
    {
        if (type is null || interfaceType is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, interfaceType))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, interfaceType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether a value of <paramref name="type"/> is a <paramref name="target"/> (class or interface).</summary>
    public static bool IsA(this ITypeSymbol? type, INamedTypeSymbol? target)
        => target?.TypeKind == TypeKind.Interface ? type.IsOrImplements(target) : type.IsOrDerivesFrom(target);

    public static bool HasAttribute(this ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether the symbol carries one of the attributes, or an attribute derived from one.</summary>
    public static bool HasAttributeDerivedFrom(this ISymbol symbol, ImmutableArray<INamedTypeSymbol> attributeTypes)
    {
        if (attributeTypes.IsEmpty)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            foreach (var attributeType in attributeTypes)
            {
                if (attribute.AttributeClass.IsOrDerivesFrom(attributeType))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets the first parameter's type of an extension method, or null for any other method.</summary>
    public static ITypeSymbol? ExtendedType(this IMethodSymbol method)
    {
        var definition = method.ReducedFrom ?? method;
        return definition.IsExtensionMethod && definition.Parameters.Length > 0 ? definition.Parameters[0].Type : null;
    }

    /// <summary>Gets whether <paramref name="method"/> (or a method it overrides) implements a member of the interface.</summary>
    public static bool ImplementsMemberOf(this IMethodSymbol method, INamedTypeSymbol interfaceDefinition)
    {
        var type = method.ContainingType;
        foreach (var implemented in type.AllInterfaces)
        {
            if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, interfaceDefinition))
            {
                continue;
            }

            foreach (var member in implemented.GetMembers(method.Name))
            {
                var implementation = type.FindImplementationForInterfaceMember(member);
                for (IMethodSymbol? candidate = method; candidate is not null; candidate = candidate.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(implementation, candidate))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
