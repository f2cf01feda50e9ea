using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using AgentBill.Generators.Parsing;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0001 for one type. A call whose client is local to a method is decided on the spot; a call on a field or
/// property of the type waits until every member was seen, because the constructor that builds the client through
/// <c>UseAgentBill()</c> may come after the method that uses it.
/// </summary>
internal sealed class TypeCoverageScope
{
    private readonly CoverageRules _rules;
    private readonly INamedTypeSymbol _type;
    private readonly bool _isTestType;
    private readonly bool _isModelApiType;
    private readonly ConcurrentDictionary<ISymbol, byte> _gatedMembers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, ConcurrentQueue<IOperation>> _memberWrites = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentQueue<PendingCall> _pending = new();

    private TypeCoverageScope(CoverageRules rules, INamedTypeSymbol type)
    {
        _rules = rules;
        _type = type;
        _isTestType = IsTestType(type, rules.Symbols);
        _isModelApiType = rules.IsModelApiType(type);
    }

    public static void Start(SymbolStartAnalysisContext context, CoverageRules rules)
    {
        var scope = new TypeCoverageScope(rules, (INamedTypeSymbol)context.Symbol);
        context.RegisterOperationAction(scope.OnInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(
            scope.OnMemberWrite,
            OperationKind.SimpleAssignment,
            OperationKind.CoalesceAssignment,
            OperationKind.FieldInitializer,
            OperationKind.PropertyInitializer);
        context.RegisterSymbolEndAction(scope.OnEnd);
    }

    private void OnInvocation(OperationAnalysisContext context)
    {
        // A nested type has its own scope; its operations may be offered to the outer one too.
        if (!IsOwnMember(context.ContainingSymbol))
        {
            return;
        }

        var invocation = (IInvocationOperation)context.Operation;
        var tree = invocation.Syntax.SyntaxTree;
        if (_rules.Gating.IsGating(invocation))
        {
            if (_rules.Tracer(_type, tree).GatedRoot(invocation) is { } root && IsOwnMember(root))
            {
                _gatedMembers.TryAdd(root, 0);
            }

            return;
        }

        if (!_rules.IsLlmApi(invocation.TargetMethod, tree) || IsExempt(invocation, context.ContainingSymbol, tree))
        {
            return;
        }

        var receiver = invocation.Receiver();
        var verdict = receiver is null ? Verdict.NotGated() : _rules.Tracer(_type, tree).Evaluate(receiver);
        switch (verdict.Kind)
        {
            case VerdictKind.NotGated:
                context.ReportDiagnostic(CreateDiagnostic(invocation, context.ContainingSymbol, verdict.FixableBuild));
                break;
            case VerdictKind.DependsOnMembers:
                _pending.Enqueue(new PendingCall(invocation, context.ContainingSymbol, verdict));
                break;
        }
    }

    private void OnMemberWrite(OperationAnalysisContext context)
    {
        if (!IsOwnMember(context.ContainingSymbol))
        {
            return;
        }

        switch (context.Operation)
        {
            case IAssignmentOperation assignment:
                var target = assignment.Target.Unwrap() switch
                {
                    IFieldReferenceOperation field when field.Instance.IsThisOrStatic() => field.Field,
                    IPropertyReferenceOperation property when property.Instance.IsThisOrStatic() => (ISymbol)property.Property,
                    _ => null,
                };
                if (target is not null && IsOwnMember(target))
                {
                    RecordWrite(target, assignment.Value);
                }

                break;
            case IFieldInitializerOperation initializer:
                foreach (var field in initializer.InitializedFields)
                {
                    RecordWrite(field, initializer.Value);
                }

                break;
            case IPropertyInitializerOperation initializer:
                foreach (var property in initializer.InitializedProperties)
                {
                    RecordWrite(property, initializer.Value);
                }

                break;
        }
    }

    private void OnEnd(SymbolAnalysisContext context)
    {
        var resolved = new Dictionary<ISymbol, Verdict>(SymbolEqualityComparer.Default);
        foreach (var call in _pending)
        {
            var verdict = Verdict.Gated;
            foreach (var member in call.Verdict.Members)
            {
                verdict = verdict.And(ResolveMember(member, resolved, new HashSet<ISymbol>(SymbolEqualityComparer.Default)));
            }

            if (verdict.Kind != VerdictKind.Gated)
            {
                context.ReportDiagnostic(CreateDiagnostic(call.Invocation, call.ContainingMember, call.Verdict.FixableBuild ?? verdict.FixableBuild));
            }
        }
    }

    // A member is gated when a gating call configures it, or when it is written and every write is gated.
    private Verdict ResolveMember(ISymbol member, Dictionary<ISymbol, Verdict> resolved, HashSet<ISymbol> inProgress)
    {
        if (resolved.TryGetValue(member, out var known))
        {
            return known;
        }

        if (!inProgress.Add(member))
        {
            return Verdict.NotGated();
        }

        Verdict result;
        if (_gatedMembers.ContainsKey(member))
        {
            result = Verdict.Gated;
        }
        else if (!_memberWrites.TryGetValue(member, out var writes) || writes.IsEmpty)
        {
            result = Verdict.NotGated();
        }
        else
        {
            result = Verdict.Gated;
            foreach (var write in writes)
            {
                var verdict = _rules.Tracer(_type, write.Syntax.SyntaxTree).Evaluate(write);
                if (verdict.Kind == VerdictKind.DependsOnMembers)
                {
                    var dependencies = Verdict.Gated;
                    foreach (var dependency in verdict.Members)
                    {
                        dependencies = dependencies.And(ResolveMember(dependency, resolved, inProgress));
                    }

                    verdict = dependencies.WithFix(verdict.FixableBuild);
                }

                result = result.And(verdict);
                if (result.Kind == VerdictKind.NotGated)
                {
                    break;
                }
            }
        }

        inProgress.Remove(member);
        resolved[member] = result;
        return result;
    }

    private void RecordWrite(ISymbol member, IOperation value)
        => _memberWrites.GetOrAdd(member, static _ => new ConcurrentQueue<IOperation>()).Enqueue(value);

    private bool IsOwnMember(ISymbol? symbol)
        => symbol is not null && SymbolEqualityComparer.Default.Equals(symbol.ContainingType?.OriginalDefinition, _type.OriginalDefinition);

    // Covered by a gate on the method that holds the call (its own [Gate], or that of the interface member it
    // implements or the virtual method it overrides: the generator gates every call of it); test code; or any
    // member of a type that is itself a model API (a DelegatingChatClient, a class implementing IChatClient):
    // its own callers are checked instead. A [Gate] on a lambda or local function covers nothing: the generator
    // rejects it (AGB1001).
    private bool IsExempt(IInvocationOperation invocation, ISymbol containingMember, SyntaxTree tree)
    {
        var symbols = _rules.Symbols;
        if (_isTestType
            || _isModelApiType
            || CallSite.IsInsideMethodWith(invocation, containingMember, m => m.HasAttributeDerivedFrom(symbols.TestMethodAttributes)))
        {
            return true;
        }

        return containingMember is IMethodSymbol method
               && ((symbols.GateAttribute is not null && GateRules.GoverningGate(method) is not null) || _rules.IsLlmApi(method, tree));
    }

    private Diagnostic CreateDiagnostic(IInvocationOperation invocation, ISymbol containingMember, IInvocationOperation? fixableBuild)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string?>();
        if (_rules.Symbols.GateAttribute is not null && CallSite.CanCarryGate(containingMember, _type.ContainingAssembly))
        {
            properties.Add(FixProperties.CanAddGate, FixProperties.True);
        }

        var additionalLocations = ImmutableArray<Location>.Empty;
        if (fixableBuild is not null && fixableBuild.Syntax.SyntaxTree == invocation.Syntax.SyntaxTree)
        {
            properties.Add(FixProperties.BuildCall, FixProperties.True);
            additionalLocations = ImmutableArray.Create(fixableBuild.Syntax.GetLocation());
        }

        return Diagnostic.Create(
            AgentBillDiagnostics.UngatedLlmCall,
            CallSite.NameLocation(invocation),
            additionalLocations,
            properties.ToImmutable(),
            CallSite.ApiName(invocation.TargetMethod),
            CallSite.DisplayName(containingMember));
    }

    // Test classes call fakes; a class with a test attribute, or one that declares a test method, is test code.
    private static bool IsTestType(INamedTypeSymbol type, KnownSymbols symbols)
    {
        if (symbols.TestMethodAttributes.IsEmpty && symbols.TestClassAttributes.IsEmpty)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.HasAttributeDerivedFrom(symbols.TestClassAttributes))
            {
                return true;
            }

            foreach (var member in current.GetMembers())
            {
                if (member is IMethodSymbol method && method.HasAttributeDerivedFrom(symbols.TestMethodAttributes))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private sealed class PendingCall
    {
        public PendingCall(IInvocationOperation invocation, ISymbol containingMember, Verdict verdict)
        {
            Invocation = invocation;
            ContainingMember = containingMember;
            Verdict = verdict;
        }

        public IInvocationOperation Invocation { get; }

        public ISymbol ContainingMember { get; }

        public Verdict Verdict { get; }
    }
}
