using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0003: the answer of a preflight or a top-up that nobody reads. Both never throw for a refusal, so code that
/// ignores <c>Approved</c> (and <c>Reason</c>, and <c>EnsureApproved()</c>) runs on past an exhausted budget.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedApprovalAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(AgentBillDiagnostics.UncheckedApproval);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = KnownSymbols.Create(start.Compilation);
            if (symbols.PreflightResult is not null || symbols.TopUpResult is not null)
            {
                start.RegisterOperationAction(c => Analyze(c, symbols), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var call = (IInvocationOperation)context.Operation;
        var result = symbols.UnwrapTask(call.TargetMethod.ReturnType);
        if (!IsAnswer(result, symbols) || IsAnswer(call.TargetMethod.ExtendedType(), symbols))
        {
            // Not an answer, or an extension that takes one (EnsureApproved) and hands it back.
            return;
        }

        if (ResultFlow.Follow(call, use => Checks(use, symbols), out _) == ResultFate.Dropped)
        {
            context.ReportDiagnostic(Diagnostic.Create(AgentBillDiagnostics.UncheckedApproval, CallSite.NameLocation(call), call.TargetMethod.Name));
        }
    }

    private static bool IsAnswer(ITypeSymbol? type, KnownSymbols symbols)
        => type is not null
           && (SymbolEqualityComparer.Default.Equals(type, symbols.PreflightResult) || SymbolEqualityComparer.Default.Equals(type, symbols.TopUpResult));

    private static bool Checks(IOperation use, KnownSymbols symbols) => use switch
    {
        IPropertyReferenceOperation property => property.Property.Name is "Approved" or "Reason",
        // An extension of AgentBill's own (EnsureApproved): decided by the assembly that declares the answer type.
        IInvocationOperation { TargetMethod.IsExtensionMethod: true } extension
            => SymbolEqualityComparer.Default.Equals(extension.TargetMethod.ContainingAssembly, symbols.PreflightResult?.ContainingAssembly),
        _ => false,
    };
}
