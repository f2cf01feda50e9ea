using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBill.Analyzers;

/// <summary>
/// AGB0001: a call to a model API that no gate covers; AGB0005: an <c>agentbill.llm_apis</c> entry that matches
/// nothing. Symbols are resolved once per compilation; each type is analysed as a unit so that a client held in a
/// field counts as gated when the type builds it through <c>UseAgentBill()</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UngatedLlmCallAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(AgentBillDiagnostics.UngatedLlmCall, AgentBillDiagnostics.UnresolvedLlmApi);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var configured = ConfiguredLlmApis.Read(context.Compilation, context.Options);
        if (!configured.Unresolved.IsEmpty)
        {
            context.RegisterCompilationEndAction(end =>
            {
                foreach (var entry in configured.Unresolved)
                {
                    end.ReportDiagnostic(Diagnostic.Create(AgentBillDiagnostics.UnresolvedLlmApi, Location.None, entry));
                }
            });
        }

        var symbols = KnownSymbols.Create(context.Compilation);
        var catalog = LlmApiCatalog.Create(symbols);
        if (catalog.IsEmpty && configured.IsEmpty)
        {
            // No model API is referenced: nothing can call one.
            return;
        }

        var shared = new CoverageRules(symbols, catalog, configured, context.Options);
        context.RegisterSymbolStartAction(start => TypeCoverageScope.Start(start, shared), SymbolKind.NamedType);
    }
}
