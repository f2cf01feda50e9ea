using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0004: a gated tool loop not in the recommended order, in one fluent chain.
/// <list type="bullet">
/// <item><c>UseAgentBill()</c> placed before <c>UseFunctionInvocation()</c> (or Semantic Kernel's
/// <c>UseKernelFunctionInvocation()</c>, the same loop with kernel filters). The first <c>Use</c> is the outermost
/// middleware, so the gate holds once for a whole tool loop instead of once per round-trip, and a long loop can spend
/// past the budget before anything is settled.</item>
/// <item>A tool loop with <c>UseAgentBill()</c> inside it, in a chain that does not start with
/// <c>UseAgentBillContext()</c>: a stream read after its <c>AgentBillContext</c> ended reaches the gate with no context,
/// and is charged to the default customer.</item>
/// </list>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GateOutsideToolLoopAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        AgentBillDiagnostics.GateOutsideToolLoop,
        AgentBillDiagnostics.ToolLoopWithoutContextCapture);

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
        if (IsToolLoop(call.TargetMethod.Name) && call.TargetMethod.ExtendedType().IsOrDerivesFrom(symbols.ChatClientBuilder))
        {
            ReportGatesOutside(context, call, symbols, gating);
        }
        else if (gating.IsUseAgentBill(call) && call.TargetMethod.ExtendedType().IsOrDerivesFrom(symbols.ChatClientBuilder))
        {
            ReportLoopWithoutCapture(context, call, symbols, gating);
        }
    }

    /// <summary>Every <c>UseAgentBill()</c> found before a tool loop in its chain was added before it, so it is outside.</summary>
    private static void ReportGatesOutside(OperationAnalysisContext context, IInvocationOperation loop, KnownSymbols symbols, GatingCalls gating)
    {
        for (var current = loop.Receiver()?.Unwrap(); current is IInvocationOperation earlier; current = earlier.Receiver()?.Unwrap())
        {
            if (gating.IsUseAgentBill(earlier))
            {
                context.ReportDiagnostic(Diagnostic.Create(AgentBillDiagnostics.GateOutsideToolLoop, CallSite.NameLocation(earlier), loop.TargetMethod.Name));
            }

            if (!symbols.IsPipelineBuilder(earlier.Type))
            {
                break;
            }
        }
    }

    /// <summary>
    /// A gate inside a tool loop, in a chain seen from where its builder is made, whose first step is not the context
    /// capture: reported once, at the loop, for the first gate after it.
    /// </summary>
    private static void ReportLoopWithoutCapture(OperationAnalysisContext context, IInvocationOperation gate, KnownSymbols symbols, GatingCalls gating)
    {
        IInvocationOperation? loop = null;
        IInvocationOperation? first = null;
        var current = gate.Receiver()?.Unwrap();
        while (current is IInvocationOperation step
               && step.Type.IsOrDerivesFrom(symbols.ChatClientBuilder)
               && step.Receiver()?.Unwrap() is { } receiver
               && receiver.Type.IsOrDerivesFrom(symbols.ChatClientBuilder))
        {
            if (loop is null && gating.IsUseAgentBill(step))
            {
                return; // An earlier gate is the first after the loop: it reports.
            }

            if (IsToolLoop(step.TargetMethod.Name))
            {
                loop = step;
            }

            first = step;
            current = receiver;
        }

        // Only a chain that starts where its builder is made is seen whole: a builder from a variable or a helper may
        // already have the capture.
        if (loop is null || first is null || !StartsBuilder(current))
        {
            return;
        }

        if (first.TargetMethod.Name is not (CaptureStep or OrderedStep))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                AgentBillDiagnostics.ToolLoopWithoutContextCapture,
                CallSite.NameLocation(loop),
                additionalLocations: new[] { CallSite.NameLocation(first) },
                properties: FirstStepProperties,
                loop.TargetMethod.Name));
        }
    }

    private static readonly ImmutableDictionary<string, string?> FirstStepProperties = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.FirstStep, FixProperties.True);

    private const string CaptureStep = "UseAgentBillContext";
    private const string OrderedStep = "UseAgentBillWithFunctionInvocation";

    /// <summary>Where a chat pipeline's builder is made: <c>new ChatClientBuilder(...)</c>, <c>AsBuilder()</c> or <c>AddChatClient()</c>.</summary>
    private static bool StartsBuilder(IOperation? origin) => origin switch
    {
        IObjectCreationOperation => true,
        IInvocationOperation invocation => invocation.TargetMethod.Name is "AsBuilder" or "AddChatClient" or "AddKeyedChatClient",
        _ => false,
    };

    // The ChatClientBuilder extensions that add a function-invocation loop: M.E.AI's, and Semantic Kernel's own.
    private static bool IsToolLoop(string name) => name is "UseFunctionInvocation" or "UseKernelFunctionInvocation";
}
