using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentBill.Analyzers;

/// <summary>What every type of one compilation shares when deciding coverage: the symbols, the APIs, the options.</summary>
internal sealed class CoverageRules
{
    public const string TrustInjectedOption = "agentbill.trust_injected_clients";

    private readonly AnalyzerOptions _options;

    public CoverageRules(KnownSymbols symbols, LlmApiCatalog catalog, ConfiguredLlmApis configured, AnalyzerOptions options)
    {
        Symbols = symbols;
        Catalog = catalog;
        Configured = configured;
        Gating = new GatingCalls(symbols);
        _options = options;
    }

    public KnownSymbols Symbols { get; }

    public LlmApiCatalog Catalog { get; }

    public ConfiguredLlmApis Configured { get; }

    public GatingCalls Gating { get; }

    public bool IsLlmApi(IMethodSymbol method, SyntaxTree tree) => Catalog.Matches(method, Configured.For(tree));

    /// <summary>Gets whether the type is itself a model API (in any of its files' configuration): its callers are checked, not its members.</summary>
    public bool IsModelApiType(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (Catalog.IsApiType(type, Configured.For(reference.SyntaxTree)))
            {
                return true;
            }
        }

        return type.DeclaringSyntaxReferences.Length == 0 && Catalog.IsApiType(type, System.Collections.Immutable.ImmutableArray<LlmApi>.Empty);
    }

    /// <summary>Gets whether clients that dependency injection provides count as gated in this tree (off by default).</summary>
    public bool TrustsInjectedClients(SyntaxTree tree)
        => _options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(TrustInjectedOption, out var value)
           && bool.TryParse(value, out var trusted)
           && trusted;

    public PipelineTracer Tracer(INamedTypeSymbol viewType, SyntaxTree tree)
        => new(Symbols, Gating, viewType, TrustsInjectedClients(tree));
}
