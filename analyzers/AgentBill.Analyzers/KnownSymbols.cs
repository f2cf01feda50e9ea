using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>
/// The types the analyzers look for, resolved once per compilation. A type the compilation does not
/// reference is null, and the checks that need it are simply off.
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        ChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IChatClient");
        EmbeddingGenerator = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IEmbeddingGenerator`2");
        ChatCompletionService = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService");
        OpenAIChatClient = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatClient");
        Kernel = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Kernel");
        ModelExtensionTypes = new[]
        {
            "Microsoft.Extensions.AI.ChatClientExtensions",
            "Microsoft.Extensions.AI.EmbeddingGeneratorExtensions",
            "Microsoft.SemanticKernel.ChatCompletion.ChatCompletionServiceExtensions",
            "Microsoft.SemanticKernel.KernelExtensions",
        }.Select(compilation.GetTypeByMetadataName).Where(static t => t is not null).ToImmutableHashSet<INamedTypeSymbol?>(SymbolEqualityComparer.Default)!;
        DelegatingTypes = new[] { "Microsoft.Extensions.AI.DelegatingChatClient", "Microsoft.Extensions.AI.DelegatingEmbeddingGenerator`2" }
            .Select(compilation.GetTypeByMetadataName).Where(static t => t is not null).ToImmutableArray()!;
        GateAttribute = compilation.GetTypeByMetadataName("AgentBill.GateAttribute");
        GatedClientTypes = new[] { "AgentBill.Extensions.AI.AgentBillChatClient", "AgentBill.Extensions.AI.AgentBillEmbeddingGenerator" }
            .Select(compilation.GetTypeByMetadataName).Where(static t => t is not null).ToImmutableArray()!;
        ChatClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientBuilder");
        AgentBill = compilation.GetTypeByMetadataName("AgentBill.IAgentBill");
        AgentBillExtensions = compilation.GetTypeByMetadataName("AgentBill.AgentBillExtensions");
        IsTestProject = compilation.ReferencedAssemblyNames.Any(static a => a.Name is "xunit.core" or "xunit.v3.core" or "nunit.framework" or "Microsoft.VisualStudio.TestPlatform.TestFramework" or "TUnit.Core");
    }

    public INamedTypeSymbol? ChatClient { get; }

    public INamedTypeSymbol? EmbeddingGenerator { get; }

    public INamedTypeSymbol? ChatCompletionService { get; }

    public INamedTypeSymbol? OpenAIChatClient { get; }

    public INamedTypeSymbol? Kernel { get; }

    public ImmutableHashSet<INamedTypeSymbol> ModelExtensionTypes { get; }

    public ImmutableArray<INamedTypeSymbol> DelegatingTypes { get; }

    public INamedTypeSymbol? GateAttribute { get; }

    public ImmutableArray<INamedTypeSymbol> GatedClientTypes { get; }

    public INamedTypeSymbol? ChatClientBuilder { get; }

    public INamedTypeSymbol? AgentBill { get; }

    public INamedTypeSymbol? AgentBillExtensions { get; }

    /// <summary>Test code talks to fake clients on purpose: it is never warned about.</summary>
    public bool IsTestProject { get; }

    public bool HasModelApis => ChatClient is not null || EmbeddingGenerator is not null || ChatCompletionService is not null || OpenAIChatClient is not null || Kernel is not null;

    public static KnownSymbols Create(Compilation compilation) => new(compilation);

    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        for (var current = type; current is not null && baseType is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsInAgentBillNamespace(ISymbol? symbol)
    {
        var ns = symbol?.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns?.Name == "AgentBill";
    }
}
