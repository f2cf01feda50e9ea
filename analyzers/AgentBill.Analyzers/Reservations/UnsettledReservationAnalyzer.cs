using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0002: a <c>Reservation</c> that the method neither commits, releases nor disposes, and does not hand on.
/// Its units stay held (blocking other runs) until the hold's TTL, and the run's real usage is never recorded.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsettledReservationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(AgentBillDiagnostics.UnsettledReservation);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = KnownSymbols.Create(start.Compilation);
            if (symbols.Reservation is { } reservation)
            {
                start.RegisterOperationAction(c => Analyze(c, symbols, reservation), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols, INamedTypeSymbol reservation)
    {
        var call = (IInvocationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(symbols.UnwrapTask(call.TargetMethod.ReturnType), reservation))
        {
            return;
        }

        if (ResultFlow.Follow(call, use => Settles(use, reservation), out var holder) != ResultFate.Dropped)
        {
            return;
        }

        var properties = CanBecomeAwaitUsing(call, holder)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperties.CanAwaitUsing, FixProperties.True)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            AgentBillDiagnostics.UnsettledReservation,
            CallSite.NameLocation(call),
            properties,
            call.TargetMethod.Name));
    }

    private static bool Settles(IOperation use, INamedTypeSymbol reservation)
        => use is IInvocationOperation invocation
           && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, reservation)
           && invocation.TargetMethod.Name is "CommitAsync" or "CommitEstimateAsync" or "ReleaseAsync" or "DisposeAsync";

    // `var r = await bill.ReserveAsync(...);` as a statement of its own can become `await using var r = ...;`.
    private static bool CanBecomeAwaitUsing(IInvocationOperation call, IVariableDeclaratorOperation? holder)
        => holder is not null
           && call.Parent is IAwaitOperation
           && holder.Syntax is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax statement } }
           && statement.UsingKeyword.IsKind(SyntaxKind.None)
           && statement.Parent is BlockSyntax;
}
