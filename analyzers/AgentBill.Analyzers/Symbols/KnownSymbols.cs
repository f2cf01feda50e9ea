using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>
/// The types the analyzers match by metadata name, resolved once per compilation. A type the compilation does
/// not reference is <see langword="null"/>, and every rule that needs it stays silent.
/// </summary>
internal sealed class KnownSymbols
{
    private KnownSymbols(Compilation compilation)
    {
        ChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IChatClient");
        EmbeddingGenerator = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IEmbeddingGenerator`2");
        ChatClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientBuilder");
        EmbeddingGeneratorBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.EmbeddingGeneratorBuilder`2");
        OpenAIChatClient = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatClient");
        ChatCompletionService = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService");
        Kernel = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Kernel");
        KernelBuilder = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IKernelBuilder");
        FunctionInvocationFilter = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IFunctionInvocationFilter");
        AutoFunctionInvocationFilter = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IAutoFunctionInvocationFilter");
        ServiceCollection = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        ServiceProvider = compilation.GetTypeByMetadataName("System.IServiceProvider");
        GateAttribute = compilation.GetTypeByMetadataName("AgentBill.GateAttribute");
        AgentBillChatClient = compilation.GetTypeByMetadataName("AgentBill.Extensions.AI.AgentBillChatClient");
        AgentBillEmbeddingGenerator = compilation.GetTypeByMetadataName("AgentBill.Extensions.AI.AgentBillEmbeddingGenerator");
        Reservation = compilation.GetTypeByMetadataName("AgentBill.Reservation");
        PreflightResult = compilation.GetTypeByMetadataName("AgentBill.PreflightResult");
        TopUpResult = compilation.GetTypeByMetadataName("AgentBill.TopUpResult");
        Task1 = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask1 = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        TestMethodAttributes = Resolve(
            compilation,
            "Xunit.FactAttribute",
            "NUnit.Framework.TestAttribute",
            "NUnit.Framework.TestCaseAttribute",
            "NUnit.Framework.TestCaseSourceAttribute",
            "NUnit.Framework.TheoryAttribute",
            "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute",
            "TUnit.Core.TestAttribute");
        TestClassAttributes = Resolve(
            compilation,
            "NUnit.Framework.TestFixtureAttribute",
            "Microsoft.VisualStudio.TestTools.UnitTesting.TestClassAttribute");
    }

    public INamedTypeSymbol? ChatClient { get; }

    public INamedTypeSymbol? EmbeddingGenerator { get; }

    public INamedTypeSymbol? ChatClientBuilder { get; }

    public INamedTypeSymbol? EmbeddingGeneratorBuilder { get; }

    public INamedTypeSymbol? OpenAIChatClient { get; }

    public INamedTypeSymbol? ChatCompletionService { get; }

    public INamedTypeSymbol? Kernel { get; }

    public INamedTypeSymbol? KernelBuilder { get; }

    public INamedTypeSymbol? FunctionInvocationFilter { get; }

    public INamedTypeSymbol? AutoFunctionInvocationFilter { get; }

    public INamedTypeSymbol? ServiceCollection { get; }

    public INamedTypeSymbol? ServiceProvider { get; }

    public INamedTypeSymbol? GateAttribute { get; }

    public INamedTypeSymbol? AgentBillChatClient { get; }

    public INamedTypeSymbol? AgentBillEmbeddingGenerator { get; }

    public INamedTypeSymbol? Reservation { get; }

    public INamedTypeSymbol? PreflightResult { get; }

    public INamedTypeSymbol? TopUpResult { get; }

    public INamedTypeSymbol? Task1 { get; }

    public INamedTypeSymbol? ValueTask1 { get; }

    /// <summary>Gets the attributes that mark a test method (derived attributes such as xUnit's Theory count too).</summary>
    public ImmutableArray<INamedTypeSymbol> TestMethodAttributes { get; }

    /// <summary>Gets the attributes that mark a whole class as tests.</summary>
    public ImmutableArray<INamedTypeSymbol> TestClassAttributes { get; }

    public static KnownSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>Gets whether the type builds a pipeline whose fluent calls configure the thing it builds.</summary>
    public bool IsPipelineBuilder(ITypeSymbol? type)
        => type.IsOrDerivesFrom(ChatClientBuilder)
           || type.IsOrDerivesFrom(EmbeddingGeneratorBuilder)
           || type.IsOrImplements(KernelBuilder)
           || type.IsOrImplements(ServiceCollection);

    /// <summary>Gets whether the type is itself an AgentBill gate around a model client.</summary>
    public bool IsGatedClientType(ITypeSymbol? type)
        => type.IsOrDerivesFrom(AgentBillChatClient) || type.IsOrDerivesFrom(AgentBillEmbeddingGenerator);

    /// <summary>Gets whether the type is one of AgentBill's Semantic Kernel filters.</summary>
    public bool IsAgentBillKernelFilter(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && named.IsInAgentBillNamespace()
           && (named.IsOrImplements(FunctionInvocationFilter) || named.IsOrImplements(AutoFunctionInvocationFilter));

    /// <summary>Gets the result type of a call: T for Task&lt;T&gt; and ValueTask&lt;T&gt;, else the type itself.</summary>
    public ITypeSymbol? UnwrapTask(ITypeSymbol? type)
        => type is INamedTypeSymbol { IsGenericType: true } named
           && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, Task1)
               || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTask1))
            ? named.TypeArguments[0]
            : type;

    private static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, params string[] metadataNames)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                builder.Add(type);
            }
        }

        return builder.ToImmutable();
    }
}
