using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using AgentBill.Generators.Diagnostics;
using AgentBill.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Generators.Parsing;

/// <summary>
/// Reads a <c>[Gate]</c> method into a <see cref="GatedMethod"/>, or into the problems that stop it from being
/// intercepted. Declarations (for diagnostics) and call sites (for interceptors) share this one routine; what is
/// accepted is decided by <see cref="GateRules"/>, which the analyzers' code fix shares too.
/// </summary>
internal static class GatedMethodParser
{
    private const long MaxUnits = 1_000_000_000_000_000;
    private const int MaxIdLength = 128;

    /// <summary>Reads a <c>[Gate]</c> declaration: the method to emit a gating body for, if it can be intercepted, and its problems.</summary>
    public static GatedDeclaration ParseDeclaration(ISymbol symbol, AttributeData gate, Location location, IAssemblySymbol assembly)
    {
        if (symbol is not IMethodSymbol method)
        {
            return new GatedDeclaration(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        var (model, problems) = Parse(method, gate, location, assembly);
        return new GatedDeclaration(model, problems.ToEquatableArray());
    }

    /// <summary>The method as messages name it: its type and name; a lambda or local function by the member that holds it.</summary>
    public static string DisplayName(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.LambdaMethod when method.ContainingSymbol is IMethodSymbol holder => DisplayName(holder) + " (lambda)",
        MethodKind.LocalFunction when method.ContainingSymbol is IMethodSymbol holder => DisplayName(holder) + "." + method.Name,
        _ => method.ContainingType.Name + "." + method.Name,
    };

    /// <summary>Reads a gated method; the model is null when a problem stops it from being intercepted.</summary>
    public static (GatedMethod? Method, ImmutableArray<DiagnosticInfo> Problems) Parse(IMethodSymbol method, AttributeData gate, Location location, IAssemblySymbol caller)
    {
        var problems = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        var display = DisplayName(method);
        var settings = ReadSettings(gate, display, location, problems);
        if (GateRules.InheritedContract(method) is { } contract)
        {
            var overrides = method.IsOverride;
            problems.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.GateOnInheritedMember,
                location,
                display,
                contract.ContainingType.Name + "." + contract.Name,
                overrides ? "overrides" : "implements",
                overrides ? "override" : "implementation"));
        }
        else if (GateRules.CannotIntercept(method, caller) is { } reason)
        {
            problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CannotIntercept, location, display, reason));
        }

        var customer = ReadCustomerParameter(method, problems, display, location);
        if (problems.Any(static p => DiagnosticDescriptors.ById(p.DescriptorId).DefaultSeverity == DiagnosticSeverity.Error) || settings is null)
        {
            return (null, problems.ToImmutable());
        }

        var shape = GateRules.ReadShape(method, out var elementType, out _);
        var cancellation = method.Parameters.FirstOrDefault(static p => p.RefKind == RefKind.None && p.Type.ToDisplayString() == "System.Threading.CancellationToken");
        var inSource = method.Locations.Any(static l => l.IsInSource);
        var model = new GatedMethod(
            display,
            BodyName(method, inSource),
            inSource,
            Signature(method),
            GateRules.IsAccessible(method, caller),
            shape,
            elementType,
            settings,
            customer is null ? null : Escape(customer.Name),
            cancellation is null ? null : Escape(cancellation.Name),
            GateRules.FindClient(method) is { } client
                ? new ClientMember(Escape(client.Member.Name), client.Type.ToDisplayString(GateRules.TypeFormat), client.Member.IsStatic, client.Member is IPropertySymbol, client.Accessible)
                : null);
        return (model, problems.ToImmutable());
    }

    /// <summary>The method's declaration as generated code repeats it.</summary>
    public static MethodSignature Signature(IMethodSymbol method)
    {
        var typeParameters = method.ContainingType.TypeParameters.Concat(method.TypeParameters).ToList();
        return new MethodSignature(
            method.ContainingType.ToDisplayString(GateRules.TypeFormat),
            method.Name,
            method.IsStatic,
            method.IsExtensionMethod,
            method.ContainingType.IsValueType,
            typeParameters.Select(static t => t.Name).ToEquatableArray(),
            method.TypeParameters.Select(static t => t.Name).ToEquatableArray(),
            ConstraintClauses(typeParameters),
            method.ReturnType.ToDisplayString(GateRules.TypeFormat),
            method.Parameters.Select(static p => new ParameterModel(
                Escape(p.Name),
                p.Type.ToDisplayString(GateRules.TypeFormat),
                p.RefKind switch
                {
                    RefKind.Ref => "ref ",
                    RefKind.Out => "out ",
                    RefKind.In => "in ",
                    RefKind.RefReadOnlyParameter => "ref readonly ",
                    _ => string.Empty,
                },
                p.IsParams)).ToEquatableArray());
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

        return name.Append('_').Append(hash.ToString("x16", CultureInfo.InvariantCulture)).ToString();
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
                case "EstimatedUnits": estimated = Convert.ToInt64(argument.Value.Value, CultureInfo.InvariantCulture); break;
                case "Ceiling": ceiling = Convert.ToInt64(argument.Value.Value, CultureInfo.InvariantCulture); break;
                case "CustomerId": customerId = argument.Value.Value as string; break;
                case "TaskRef": taskRef = argument.Value.Value as string; break;
                case "Meter": meter = Convert.ToInt32(argument.Value.Value, CultureInfo.InvariantCulture); break;
            }
        }

        var valid = true;
        foreach (var (name, value) in new[] { ("EstimatedUnits", estimated), ("Ceiling", ceiling) })
        {
            if (value is < 0 or > MaxUnits)
            {
                problems.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidEstimate, location, display, name, value.ToString(CultureInfo.InvariantCulture)));
                valid = false;
            }
        }

        if (valid && ceiling > 0 && estimated > ceiling)
        {
            problems.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.EstimateAboveCeiling,
                location,
                display,
                estimated.ToString(CultureInfo.InvariantCulture),
                ceiling.ToString(CultureInfo.InvariantCulture)));
            valid = false;
        }

        return valid ? new GateSettings(agentId, estimated, ceiling, customerId, taskRef, meter) : null;
    }

    /// <summary>The one string parameter marked [CustomerId]; any other mark is a problem (not a string, or a second one).</summary>
    private static IParameterSymbol? ReadCustomerParameter(IMethodSymbol method, ImmutableArray<DiagnosticInfo>.Builder problems, string display, Location location)
    {
        var marked = GateRules.CustomerParameters(method).ToList();
        foreach (var parameter in marked.Where(static p => !GateRules.CanNameCustomer(p)))
        {
            problems.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.CustomerIdNotString,
                parameter.Locations.FirstOrDefault() ?? location,
                parameter.Name,
                parameter.Type.ToDisplayString()));
        }

        if (marked.Count > 1)
        {
            problems.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.SeveralCustomerIds,
                location,
                display,
                string.Join(", ", marked.Select(static p => "'" + p.Name + "'"))));
        }

        return marked.Count == 1 && GateRules.CanNameCustomer(marked[0]) ? marked[0] : null;
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

            constraints.AddRange(parameter.ConstraintTypes.Select(static t => t.ToDisplayString(GateRules.TypeFormat)));
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
