using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0002: a reservation that is never committed, released or disposed. AGB0003: a preflight whose answer is
/// thrown away. Both let a run go ahead while the gate believes something else.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReservationUsageAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> SettlingMethods = ["CommitAsync", "CommitEstimateAsync", "ReleaseAsync", "DisposeAsync"];

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.ReservationNeverSettled, DiagnosticDescriptors.PreflightIgnored];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = KnownSymbols.Create(start.Compilation);
            if (symbols.AgentBill is null)
            {
                return;
            }

            start.RegisterOperationAction(context => Analyze(context, symbols), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod.ReducedFrom ?? call.TargetMethod;
        if (!IsGateMethod(method, symbols))
        {
            return;
        }

        var result = call.Parent is IAwaitOperation awaited ? awaited : (IOperation)call;
        var discarded = result.Parent is IExpressionStatementOperation || (result.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation });
        if (method.Name == "PreflightAsync" && discarded)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.PreflightIgnored, call.Syntax.GetLocation()));
        }

        if (method.Name != "ReserveAsync")
        {
            return;
        }

        if (discarded)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ReservationNeverSettled, call.Syntax.GetLocation(), "(discarded)"));
            return;
        }

        // var reservation = await bill.ReserveAsync(...); without using, and never settled nor handed on.
        if (result.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } || IsInUsing(declarator))
        {
            return;
        }

        var body = context.ContainingSymbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        var model = call.SemanticModel;
        if (body is null || model is null)
        {
            return;
        }

        var settledOrEscapes = body.DescendantNodes()
            .Select(node => model.GetOperation(node))
            .OfType<ILocalReferenceOperation>()
            .Where(reference => SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol))
            .Any(reference => reference.Parent switch
            {
                IInvocationOperation invocation => SettlingMethods.Contains(invocation.TargetMethod.Name) || !ReferenceEquals(invocation.Instance, reference),
                IPropertyReferenceOperation or IConditionalAccessOperation => false,
                _ => true, // passed on, returned, stored: someone else settles it
            });
        if (!settledOrEscapes)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ReservationNeverSettled, declarator.Syntax.GetLocation(), declarator.Symbol.Name));
        }
    }

    /// <summary>A <c>using</c> (or <c>await using</c>) declaration or statement disposes the reservation, which releases it.</summary>
    private static bool IsInUsing(IOperation declarator)
    {
        for (var parent = declarator.Parent; parent is not null and not IBlockOperation; parent = parent.Parent)
        {
            if (parent is IUsingDeclarationOperation or IUsingOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGateMethod(IMethodSymbol method, KnownSymbols symbols)
        => (SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AgentBillExtensions)
            || KnownSymbols.DerivesFrom(method.ContainingType, symbols.AgentBill)
            || method.ContainingType.AllInterfaces.Contains(symbols.AgentBill!, SymbolEqualityComparer.Default)
            || SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AgentBill))
           && method.Name is "PreflightAsync" or "ReserveAsync";
}
