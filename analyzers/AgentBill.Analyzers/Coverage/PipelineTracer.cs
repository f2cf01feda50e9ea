using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// Follows a value back through what is in view (its fluent builder chain, the writes to the local that holds it,
/// the members of the analyzed type) to decide whether an AgentBill gate wraps it. One instance serves one call
/// site: it caches the gating calls it finds per body.
/// </summary>
internal sealed class PipelineTracer
{
    private const int MaxDepth = 8;

    private readonly KnownSymbols _symbols;
    private readonly GatingCalls _gating;
    private readonly INamedTypeSymbol _viewType;
    private readonly bool _trustInjected;
    private readonly Dictionary<IOperation, HashSet<ISymbol>> _gatedRootsByBody = new();
    private readonly HashSet<ILocalSymbol> _localsInProgress = new(SymbolEqualityComparer.Default);

    public PipelineTracer(KnownSymbols symbols, GatingCalls gating, INamedTypeSymbol viewType, bool trustInjected)
    {
        _symbols = symbols;
        _gating = gating;
        _viewType = viewType;
        _trustInjected = trustInjected;
    }

    public Verdict Evaluate(IOperation value) => Evaluate(value, 0);

    /// <summary>
    /// Gets the local or member a gating call configures: <c>builder.UseAgentBill()</c> gates <c>builder</c>,
    /// <c>kernel.FunctionInvocationFilters.Add(f)</c> gates <c>kernel</c>. Only calls that return the builder they
    /// were called on are followed, so <c>client.AsBuilder().UseAgentBill()</c> gates the new pipeline, not <c>client</c>.
    /// </summary>
    public ISymbol? GatedRoot(IInvocationOperation gatingCall)
    {
        var current = gatingCall.Receiver()?.Unwrap();
        while (current is not null)
        {
            switch (current)
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IFieldReferenceOperation field when field.Instance.IsThisOrStatic():
                    return field.Field;
                case IPropertyReferenceOperation property when property.Instance.IsThisOrStatic():
                    return property.Property;
                case IPropertyReferenceOperation property when IsKernelOrKernelBuilder(property.Instance!.Type):
                    current = property.Instance.Unwrap();
                    break;
                case IInvocationOperation fluent when fluent.Receiver() is { } receiver
                                                      && _symbols.IsPipelineBuilder(receiver.Type)
                                                      && SymbolEqualityComparer.Default.Equals(fluent.Type, receiver.Type):
                    current = receiver.Unwrap();
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private Verdict Evaluate(IOperation value, int depth)
    {
        if (depth > MaxDepth)
        {
            return Verdict.NotGated();
        }

        IInvocationOperation? fixableBuild = null;
        var current = value.Unwrap();
        while (true)
        {
            if (_symbols.IsGatedClientType(current.Type))
            {
                return Verdict.Gated;
            }

            switch (current)
            {
                case IInvocationOperation invocation:
                    if (_gating.IsGating(invocation) || (_trustInjected && IsServiceLookup(invocation)))
                    {
                        return Verdict.Gated;
                    }

                    var receiver = invocation.Receiver();
                    if (receiver is null)
                    {
                        return Verdict.NotGated(fixableBuild);
                    }

                    if (fixableBuild is null && IsClientBuild(invocation, receiver))
                    {
                        fixableBuild = invocation;
                    }

                    // Only builder steps (and AsBuilder, which wraps its receiver) keep the pipeline being traced.
                    if (!_symbols.IsPipelineBuilder(receiver.Type) && invocation.TargetMethod.Name != "AsBuilder")
                    {
                        return Verdict.NotGated(fixableBuild);
                    }

                    current = receiver.Unwrap();
                    continue;

                case ILocalReferenceOperation local:
                    return EvaluateLocal(local, depth).WithFix(fixableBuild);

                case IFieldReferenceOperation field when field.Instance.IsThisOrStatic():
                    return Member(field.Field).WithFix(fixableBuild);

                case IPropertyReferenceOperation property when property.Instance.IsThisOrStatic():
                    return Member(property.Property).WithFix(fixableBuild);

                case IParameterReferenceOperation parameter:
                    return _trustInjected && IsInjected(parameter.Parameter) ? Verdict.Gated : Verdict.NotGated(fixableBuild);

                case IObjectCreationOperation creation:
                    return EvaluateCreation(creation, depth).WithFix(fixableBuild);

                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    return Evaluate(conditional.WhenTrue, depth + 1).And(Evaluate(whenFalse, depth + 1));

                case ICoalesceOperation coalesce:
                    return Evaluate(coalesce.Value, depth + 1).And(Evaluate(coalesce.WhenNull, depth + 1));

                default:
                    return Verdict.NotGated(fixableBuild);
            }
        }
    }

    // A builder (or kernel) created around an inner client (or service provider) is gated when that inner one is.
    private Verdict EvaluateCreation(IObjectCreationOperation creation, int depth)
    {
        if (!_symbols.IsPipelineBuilder(creation.Type) && !creation.Type.IsOrDerivesFrom(_symbols.Kernel))
        {
            return Verdict.NotGated();
        }

        foreach (var argument in creation.Arguments)
        {
            var inner = argument.Value.Unwrap();
            if (inner.Type.IsOrImplements(_symbols.ChatClient)
                || inner.Type.IsOrImplements(_symbols.EmbeddingGenerator)
                || inner.Type.IsOrImplements(_symbols.ServiceProvider))
            {
                return Evaluate(inner, depth + 1);
            }
        }

        return Verdict.NotGated();
    }

    // A local is gated when a gating call configures it in view, or when every write to it is gated.
    private Verdict EvaluateLocal(ILocalReferenceOperation reference, int depth)
    {
        var local = reference.Local;
        if (!_localsInProgress.Add(local))
        {
            return Verdict.NotGated();
        }

        try
        {
            var body = reference.Root();
            if (GatedRoots(body).Contains(local))
            {
                return Verdict.Gated;
            }

            Verdict? result = null;
            foreach (var write in LocalWrites.Find(body, local))
            {
                var verdict = write is null ? Verdict.NotGated() : Evaluate(write, depth + 1);
                result = result?.And(verdict) ?? verdict;
                if (result.Value.Kind == VerdictKind.NotGated)
                {
                    break;
                }
            }

            return result ?? Verdict.NotGated();
        }
        finally
        {
            _localsInProgress.Remove(local);
        }
    }

    private HashSet<ISymbol> GatedRoots(IOperation body)
    {
        if (_gatedRootsByBody.TryGetValue(body, out var roots))
        {
            return roots;
        }

        roots = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var descendant in body.Descendants())
        {
            if (descendant is IInvocationOperation invocation && _gating.IsGating(invocation) && GatedRoot(invocation) is { } root)
            {
                roots.Add(root);
            }
        }

        _gatedRootsByBody.Add(body, roots);
        return roots;
    }

    private Verdict Member(ISymbol member)
        => SymbolEqualityComparer.Default.Equals(member.ContainingType.OriginalDefinition, _viewType.OriginalDefinition)
            ? Verdict.DependsOn(member)
            : Verdict.NotGated();

    private bool IsClientBuild(IInvocationOperation invocation, IOperation receiver)
        => invocation.TargetMethod.Name == "Build"
           && (receiver.Type.IsOrDerivesFrom(_symbols.ChatClientBuilder) || receiver.Type.IsOrDerivesFrom(_symbols.EmbeddingGeneratorBuilder));

    private bool IsKernelOrKernelBuilder(ITypeSymbol? type)
        => type.IsOrDerivesFrom(_symbols.Kernel) || type.IsOrImplements(_symbols.KernelBuilder);

    private bool IsServiceLookup(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        return name is "GetService" or "GetRequiredService" or "GetKeyedService" or "GetRequiredKeyedService"
               && invocation.Receiver()?.Type.IsOrImplements(_symbols.ServiceProvider) == true;
    }

    // Constructor parameters and [FromServices]/[FromKeyedServices] parameters are filled by dependency injection.
    private static bool IsInjected(IParameterSymbol parameter)
    {
        if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor })
        {
            return true;
        }

        foreach (var attribute in parameter.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "FromServicesAttribute" or "FromKeyedServicesAttribute")
            {
                return true;
            }
        }

        return false;
    }
}
