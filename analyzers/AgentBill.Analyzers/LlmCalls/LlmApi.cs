using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>
/// One family of model-calling methods: the methods of <see cref="Type"/> whose names pass a test,
/// their implementations and overrides, and (when <see cref="IncludeExtensions"/>) extension methods on the type.
/// </summary>
internal sealed class LlmApi
{
    private readonly Func<string, bool>? _names;
    private readonly ImmutableHashSet<ISymbol> _exactMethods;

    private LlmApi(INamedTypeSymbol? type, Func<string, bool>? names, bool includeExtensions, ImmutableHashSet<ISymbol> exactMethods)
    {
        Type = type;
        _names = names;
        IncludeExtensions = includeExtensions;
        _exactMethods = exactMethods;
    }

    public INamedTypeSymbol? Type { get; }

    public bool IncludeExtensions { get; }

    /// <summary>Methods of a type (and of the types that implement or derive from it) whose names pass the test.</summary>
    public static LlmApi ForType(INamedTypeSymbol type, Func<string, bool>? names, bool includeExtensions)
        => new(type.OriginalDefinition, names, includeExtensions, ImmutableHashSet<ISymbol>.Empty);

    /// <summary>Exactly these methods (a documentation id with a parameter list), and their overrides.</summary>
    public static LlmApi ForMethods(ImmutableArray<IMethodSymbol> methods)
        => new(null, null, includeExtensions: false, methods.Select(m => (ISymbol)m.OriginalDefinition).ToImmutableHashSet(SymbolEqualityComparer.Default));

    public bool Matches(IMethodSymbol method)
    {
        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        if (Type is null)
        {
            for (IMethodSymbol? candidate = definition; candidate is not null; candidate = candidate.OverriddenMethod)
            {
                if (_exactMethods.Contains(candidate.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        if (_names is not null && !_names(definition.Name))
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(definition.ContainingType.OriginalDefinition, Type))
        {
            return true;
        }

        if (definition.IsExtensionMethod)
        {
            return IncludeExtensions && definition.ExtendedType().IsA(Type);
        }

        if (definition.IsStatic)
        {
            return false;
        }

        return Type.TypeKind == TypeKind.Interface
            ? definition.ImplementsMemberOf(Type)
            : definition.ContainingType.IsOrDerivesFrom(Type);
    }
}
