using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0004: <c>UseAgentBill()</c> placed before <c>UseFunctionInvocation()</c> (or Semantic Kernel's
/// <c>UseKernelFunctionInvocation()</c>, the same loop with kernel filters) in one fluent chain. The first
/// <c>Use</c> is the outermost middleware, so the gate holds once for a whole tool loop instead of once per
/// round-trip, and a long loop can spend past the budget before anything is settled.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GateOutsideToolLoopAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(AgentBillDiagnostics.GateOutsideToolLoop);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = KnownSymbols.Create(start.Compilation);
            if (symbols.ChatClientBuilder is not null)
            {
                var gating = new GatingCalls(symbols);
                start.RegisterOperationAction(c => Analyze(c, symbols, gating), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, KnownSymbols symbols, GatingCalls gating)
    {
        var call = (IInvocationOperation)context.Operation;
        if (!IsToolLoop(call.TargetMethod.Name) || !call.TargetMethod.ExtendedType().IsOrDerivesFrom(symbols.ChatClientBuilder))
        {
            return;
        }

        // Walk back along the fluent chain: every UseAgentBill() found there was added before, so it is outside.
        for (var current = call.Receiver()?.Unwrap(); current is IInvocationOperation earlier; current = earlier.Receiver()?.Unwrap())
        {
            if (gating.IsUseAgentBill(earlier))
            {
                context.ReportDiagnostic(Diagnostic.Create(AgentBillDiagnostics.GateOutsideToolLoop, CallSite.NameLocation(earlier), call.TargetMethod.Name));
            }

            if (!symbols.IsPipelineBuilder(earlier.Type))
            {
                break;
            }
        }
    }

    // The ChatClientBuilder extensions that add a function-invocation loop: M.E.AI's, and Semantic Kernel's own.
    private static bool IsToolLoop(string name) => name is "UseFunctionInvocation" or "UseKernelFunctionInvocation";
}
