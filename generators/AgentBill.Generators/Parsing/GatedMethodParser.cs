using System.Collections.Immutable;
using System.Text;
using AgentBill.Generators.Diagnostics;
using AgentBill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Generators.Parsing;

/// <summary>
/// Reads a <c>[Gate]</c> method into a <see cref="GatedMethod"/>, or into the problems that stop it from being
/// intercepted. Declarations (for diagnostics) and call sites (for interceptors) share this one routine.
/// </summary>
internal static class GatedMethodParser
{
    public const string GateAttribute = "AgentBill.GateAttribute";
    private const string CustomerIdAttribute = "AgentBill.CustomerIdAttribute";
    private const string AgentBillInterface = "AgentBill.IAgentBill";
    private const long MaxUnits = 1_000_000_000_000_000;
    private const int MaxIdLength = 128;

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static AttributeData? FindGate(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == GateAttribute)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>Reads a <c>[Gate]</c> declaration: the method to emit a gating body for, if it can be intercepted, and its problems.</summary>
    public static GatedDeclaration ParseDeclaration(ISymbol symbol, AttributeData gate, Location location, IAssemblySymbol assembly)
    {
        if (symbol is not IMethodSymbol method)
        {
            return new GatedDeclaration(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        var (model, problems) = Parse(method, gate, location, assembly);
        // Generated code outside the type cannot name a private or file-local type: no body for a method whose
        // signature needs one (as before, only its calls, which cannot be intercepted either, fail to build).
        var nameable = IsNameable(method.ContainingType) && IsNameable(method.ReturnType) && method.Parameters.All(static p => IsNameable(p.Type));
        return new GatedDeclaration(nameable ? model : null, problems.ToEquatableArray());
    }

    /// <summary>Whether code in another type of the assembly can name the type.</summary>
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

    /// <summary>Reads a gated method; the model is null when a problem stops it from being intercepted.</summary>
    public static (GatedMethod? Method, ImmutableArray<DiagnosticInfo> Problems) Parse(IMethodSymbol method, AttributeData gate, Location location, IAssemblySymbol caller)
    {
        var problems = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        var display = method.ContainingType.Name + "." + method.Name;
        var settings = ReadSettings(gate, display, location, problems);
        var shape = ReadShape(method, out var elementType, out var unsupported);
        var accessible = IsAccessible(method, caller);

        unsupported ??= method.MethodKind != MethodKind.Ordinary ? "only ordinary methods can be gated"
            : method.ContainingType.IsValueType && !method.IsStatic ? "instance methods of structs are not supported; make it static or a class member"
            : shape is not (ReturnShape.Void or ReturnShape.Value) && method.Parameters.Any(static p => p.RefKind != RefKind.None) ? "an asynchronous method cannot pass ref, out or in parameters through its gate"
            : shape is not (ReturnShape.Void or ReturnShape.Value) && method.Parameters.Any(static p => p.Type.IsRefLikeType) ? "an asynchronous method cannot keep a ref struct parameter across its gate"
            : !accessible && (method.IsGenericMethod || method.ContainingType.IsGenericType) ? "a generic method, or a method of a generic type, must be internal or public to be gated"
            : method.ContainingType.IsGenericType && FindClient(method) is { IsAccessible: false } ? "the IAgentBill field or property of a generic type must be internal or public"
            : null;
        if (unsupported is not null)
        {
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotIntercept, location, display, unsupported));
        }

        var typeParameters = method.ContainingType.TypeParameters.Concat(method.TypeParameters).ToList();
        if (typeParameters.Select(static t => t.Name).Distinct().Count() != typeParameters.Count)
        {
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotIntercept, location, display, "its type parameters reuse a name of its type's type parameters"));
        }

        var customer = ReadCustomerParameter(method, problems, display);
        if (problems.Any(static p => DiagnosticDescriptors.ById(p.DescriptorId).DefaultSeverity == DiagnosticSeverity.Error) || settings is null)
        {
            return (null, problems.ToImmutable());
        }

        var parameters = method.Parameters.Select(static p => new ParameterModel(
            Escape(p.Name),
            p.Type.ToDisplayString(TypeFormat),
            p.RefKind switch
            {
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.In => "in ",
                RefKind.RefReadOnlyParameter => "ref readonly ",
                _ => string.Empty,
            },
            p.IsParams)).ToEquatableArray();

        var cancellation = method.Parameters.FirstOrDefault(static p => p.RefKind == RefKind.None && p.Type.ToDisplayString() == "System.Threading.CancellationToken");
        var inSource = method.Locations.Any(static l => l.IsInSource);
        var model = new GatedMethod(
            display,
            BodyName(method, inSource),
            inSource,
            method.ContainingType.ToDisplayString(TypeFormat),
            method.Name,
            method.IsStatic,
            method.IsExtensionMethod,
            accessible,
            typeParameters.Select(static t => t.Name).ToEquatableArray(),
            method.TypeParameters.Select(static t => t.Name).ToEquatableArray(),
            ConstraintClauses(typeParameters),
            method.ReturnType.ToDisplayString(TypeFormat),
            shape,
            elementType,
            parameters,
            settings,
            customer is null ? null : Escape(customer.Name),
            cancellation is null ? null : Escape(cancellation.Name),
            FindClient(method));
        return (model, problems.ToImmutable());
    }

    /// <summary>
    /// The name of the class that holds the method's gating body: readable (its type and name), and unique per
    /// overload through a 64-bit hash of the method's documentation id, which differs for each overload and each
    /// type. A method of a referenced assembly also hashes the assembly's name, so that it never meets the body
    /// that assembly emitted for itself (visible here through InternalsVisibleTo).
    /// </summary>
    private static string BodyName(IMethodSymbol method, bool inSource)
    {
        var id = (inSource ? string.Empty : method.ContainingAssembly.Identity.Name + "|") + (method.GetDocumentationCommentId() ?? method.ToDisplayString());
        var hash = 14695981039346656037ul;
        foreach (var c in id)
        {
            hash = unchecked((hash ^ c) * 1099511628211ul);
        }

        var name = new StringBuilder(method.Name);
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            name.Insert(0, type.Name + "_");
        }

        return name.Append('_').Append(hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)).ToString();
    }

    private static GateSettings? ReadSettings(AttributeData gate, string display, Location location, ImmutableArray<DiagnosticInfo>.Builder problems)
    {
        var agentId = gate.ConstructorArguments.Length == 1 ? gate.ConstructorArguments[0].Value as string : null;
        if (string.IsNullOrEmpty(agentId) || agentId!.Length > MaxIdLength || agentId.Any(char.IsControl))
        {
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptyAgentId, location, display));
            return null;
        }

        long estimated = 1, ceiling = 0;
        string? customerId = null, taskRef = null;
        var meter = 0;
        foreach (var argument in gate.NamedArguments)
        {
            switch (argument.Key)
            {
                case "EstimatedUnits": estimated = Convert.ToInt64(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "Ceiling": ceiling = Convert.ToInt64(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "CustomerId": customerId = argument.Value.Value as string; break;
                case "TaskRef": taskRef = argument.Value.Value as string; break;
                case "Meter": meter = Convert.ToInt32(argument.Value.Value, System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }

        var valid = true;
        foreach (var (name, value) in new[] { ("EstimatedUnits", estimated), ("Ceiling", ceiling) })
        {
            if (value is < 0 or > MaxUnits)
            {
                problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEstimate, location, display, name, value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                valid = false;
            }
        }

        if (valid && ceiling > 0 && estimated > ceiling)
        {
            problems.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.EstimateAboveCeiling,
                location,
                display,
                estimated.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            valid = false;
        }

        return valid ? new GateSettings(agentId, estimated, ceiling, customerId, taskRef, meter) : null;
    }

    private static ReturnShape ReadShape(IMethodSymbol method, out string? elementType, out string? unsupported)
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
        var name = type?.OriginalDefinition.ToDisplayString();
        if (type is { IsGenericType: true } && type.TypeArguments.Length == 1)
        {
            elementType = type.TypeArguments[0].ToDisplayString(TypeFormat);
        }

        return name switch
        {
            "System.Threading.Tasks.Task" => ReturnShape.Task,
            "System.Threading.Tasks.Task<TResult>" => ReturnShape.TaskOfT,
            "System.Threading.Tasks.ValueTask" => ReturnShape.ValueTask,
            "System.Threading.Tasks.ValueTask<TResult>" => ReturnShape.ValueTaskOfT,
            "System.Collections.Generic.IAsyncEnumerable<T>" => ReturnShape.AsyncEnumerable,
            _ => ReturnShape.Value,
        };
    }

    private static IParameterSymbol? ReadCustomerParameter(IMethodSymbol method, ImmutableArray<DiagnosticInfo>.Builder problems, string display)
    {
        IParameterSymbol? customer = null;
        foreach (var parameter in method.Parameters)
        {
            if (!parameter.GetAttributes().Any(static a => a.AttributeClass?.ToDisplayString() == CustomerIdAttribute))
            {
                continue;
            }

            if (parameter.Type.SpecialType != SpecialType.System_String || parameter.RefKind is RefKind.Out)
            {
                problems.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.CustomerIdNotString,
                    parameter.Locations.FirstOrDefault() ?? Location.None,
                    parameter.Name,
                    parameter.Type.ToDisplayString()));
                continue;
            }

            customer ??= parameter;
        }

        return customer;
    }

    /// <summary>The first field or property of the method's type (or its bases) that holds an <c>IAgentBill</c>.</summary>
    private static ClientMember? FindClient(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsImplicitlyDeclared || (method.IsStatic && !member.IsStatic) || (member is IPropertySymbol { GetMethod: null } or IPropertySymbol { IsIndexer: true }))
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
                    return new ClientMember(Escape(member.Name), memberType.ToDisplayString(TypeFormat), member.IsStatic, member is IPropertySymbol, accessible);
                }
            }
        }

        return null;
    }

    private static bool HoldsAgentBill(ITypeSymbol type)
        => type.ToDisplayString() == AgentBillInterface || type.AllInterfaces.Any(static i => i.ToDisplayString() == AgentBillInterface);

    private static bool IsAccessible(IMethodSymbol method, IAssemblySymbol caller)
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

            if (symbol.ContainingType is null)
            {
                break;
            }
        }

        return true;
    }

    private static string ConstraintClauses(IReadOnlyList<ITypeParameterSymbol> typeParameters)
    {
        var clauses = new StringBuilder();
        foreach (var parameter in typeParameters)
        {
            var constraints = new List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }

            if (parameter.HasUnmanagedTypeConstraint)
            {
                constraints.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                constraints.Add("struct");
            }

            if (parameter.HasNotNullConstraint)
            {
                constraints.Add("notnull");
            }

            constraints.AddRange(parameter.ConstraintTypes.Select(static t => t.ToDisplayString(TypeFormat)));
            if (parameter.HasConstructorConstraint)
            {
                constraints.Add("new()");
            }

            if (constraints.Count > 0)
            {
                clauses.Append(" where ").Append(parameter.Name).Append(" : ").Append(string.Join(", ", constraints));
            }
        }

        return clauses.ToString();
    }

    private static string Escape(string name) => SyntaxFacts.IsReservedKeyword(SyntaxFacts.GetKeywordKind(name)) ? "@" + name : name;
}
