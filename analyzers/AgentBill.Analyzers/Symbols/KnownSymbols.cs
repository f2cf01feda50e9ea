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
        OpenAIResponsesClient = compilation.GetTypeByMetadataName("OpenAI.Responses.ResponsesClient");
        OpenAIEmbeddingClient = compilation.GetTypeByMetadataName("OpenAI.Embeddings.EmbeddingClient");
        OpenAIImageClient = compilation.GetTypeByMetadataName("OpenAI.Images.ImageClient");
        OpenAIAudioClient = compilation.GetTypeByMetadataName("OpenAI.Audio.AudioClient");
        ImageGenerator = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IImageGenerator");
        SpeechToTextClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ISpeechToTextClient");
        TextToSpeechClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ITextToSpeechClient");
        ChatCompletionService = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.ChatCompletion.IChatCompletionService");
        Kernel = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.Kernel");
        KernelBuilder = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IKernelBuilder");
        FunctionInvocationFilter = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IFunctionInvocationFilter");
        AutoFunctionInvocationFilter = compilation.GetTypeByMetadataName("Microsoft.SemanticKernel.IAutoFunctionInvocationFilter");
        ServiceCollection = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IServiceCollection");
        ServiceProvider = compilation.GetTypeByMetadataName("System.IServiceProvider");
        GateAttribute = compilation.GetTypeByMetadataName("AgentBill.GateAttribute");
        GatesModelCalls = compilation.GetTypeByMetadataName("AgentBill.GatesModelCallsAttribute");
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

    public INamedTypeSymbol? OpenAIResponsesClient { get; }

    public INamedTypeSymbol? OpenAIEmbeddingClient { get; }

    public INamedTypeSymbol? OpenAIImageClient { get; }

    public INamedTypeSymbol? OpenAIAudioClient { get; }

    public INamedTypeSymbol? ImageGenerator { get; }

    public INamedTypeSymbol? SpeechToTextClient { get; }

    public INamedTypeSymbol? TextToSpeechClient { get; }

    public INamedTypeSymbol? ChatCompletionService { get; }

    public INamedTypeSymbol? Kernel { get; }

    public INamedTypeSymbol? KernelBuilder { get; }

    public INamedTypeSymbol? FunctionInvocationFilter { get; }

    public INamedTypeSymbol? AutoFunctionInvocationFilter { get; }

    public INamedTypeSymbol? ServiceCollection { get; }

    public INamedTypeSymbol? ServiceProvider { get; }

    public INamedTypeSymbol? GateAttribute { get; }

    /// <summary>Gets AgentBill's marker of the types and methods that gate the model calls through them.</summary>
    public INamedTypeSymbol? GatesModelCalls { get; }

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

    /// <summary>Gets whether the type, or a base of it, carries <c>[GatesModelCalls]</c>: a client that gates what it forwards.</summary>
    public bool IsGatedClientType(ITypeSymbol? type)
    {
        if (GatesModelCalls is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.HasAttribute(GatesModelCalls))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets whether the method carries <c>[GatesModelCalls]</c>: a pipeline or kernel step that adds a gate.</summary>
    public bool IsGatingMethod(IMethodSymbol method)
        => (method.ReducedFrom ?? method).OriginalDefinition.HasAttribute(GatesModelCalls);

    /// <summary>Gets whether the type is a Semantic Kernel filter that gates (it carries <c>[GatesModelCalls]</c>).</summary>
    public bool IsGatingKernelFilter(ITypeSymbol? type)
        => IsGatedClientType(type) && (type.IsOrImplements(FunctionInvocationFilter) || type.IsOrImplements(AutoFunctionInvocationFilter));

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
