using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>AGB0001: a call to a language model that no gate covers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UngatedModelCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The .editorconfig key that declares more model APIs, as documentation ids separated by ';'.</summary>
    public const string DeclaredApisKey = "agentbill.llm_apis";

    /// <summary>Set on a diagnostic whose client was built in view by a ChatClientBuilder chain, where UseAgentBill() can go.</summary>
    public const string BuilderChainProperty = "BuilderChain";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.UngatedModelCall];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = KnownSymbols.Create(start.Compilation);
            if (symbols.IsTestProject)
            {
                return;
            }

            var coverage = new GateCoverage(symbols);
            var matchers = new ConcurrentDictionary<SyntaxTree, ModelCallMatcher>();
            start.RegisterOperationAction(
                context =>
                {
                    var call = (IInvocationOperation)context.Operation;
                    var tree = call.Syntax.SyntaxTree;
                    var matcher = matchers.GetOrAdd(tree, t => new ModelCallMatcher(symbols, DeclaredApis(context.Options, t)));
                    if (!matcher.IsModelCall(call.TargetMethod) || coverage.IsCovered(call, context.ContainingSymbol))
                    {
                        return;
                    }

                    var properties = ImmutableDictionary<string, string?>.Empty;
                    var additional = new List<Location>();
                    if (GateCoverage.Receiver(call) is { } receiver && GateCoverage.SourceOf(receiver) is IInvocationOperation { TargetMethod.Name: "Build" } build
                        && KnownSymbols.DerivesFrom(build.TargetMethod.ContainingType, symbols.ChatClientBuilder))
                    {
                        properties = properties.Add(BuilderChainProperty, "true");
                        additional.Add(build.Syntax.GetLocation());
                    }

                    var name = (call.TargetMethod.ReducedFrom ?? call.TargetMethod).ContainingType.Name + "." + call.TargetMethod.Name;
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UngatedModelCall, call.Syntax.GetLocation(), additional, properties, name));
                },
                OperationKind.Invocation);
        });
    }

    private static IReadOnlyCollection<string> DeclaredApis(AnalyzerOptions options, SyntaxTree tree)
        => options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(DeclaredApisKey, out var value)
            ? value.Split([';', ','], StringSplitOptions.RemoveEmptyEntries).Select(static v => v.Trim()).ToImmutableHashSet()
            : ImmutableHashSet<string>.Empty;
}
