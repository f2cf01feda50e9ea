using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentBill.Analyzers.Tests;

/// <summary>
/// Minimal types with the metadata names the analyzers match, for the packages the tests do not reference:
/// AgentBill itself (its generator and middleware are built in parallel), OpenAI and Azure OpenAI. Compiled once
/// into an assembly, so the code under test sees them as metadata, like a real package reference.
/// </summary>
internal static class StandIns
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;
        using Microsoft.SemanticKernel;

        namespace AgentBill
        {
            [AttributeUsage(AttributeTargets.Method)]
            public sealed class GateAttribute : Attribute
            {
                public GateAttribute(string agentId) => AgentId = agentId;
                public string AgentId { get; }
                public long EstimatedUnits { get; set; } = 1;
            }

            public enum RefusalReason { None, BudgetExhausted, CeilingExceeded }

            public sealed record PreflightRequest(string AgentId)
            {
                public long EstimatedUnits { get; init; } = 1;
            }

            public sealed record PreflightResult
            {
                public bool Approved { get; init; }
                public RefusalReason Reason { get; init; }
                public string? ReservationId { get; init; }
                public long EstimatedUnits { get; init; }
            }

            public sealed record TopUpResult
            {
                public bool Approved { get; init; }
                public long HeldUnits { get; init; }
            }

            public sealed record RecordResult(long Units);

            public sealed class Reservation : IAsyncDisposable
            {
                public string? Id => null;
                public long HeldUnits => 0;
                public ValueTask<RecordResult> CommitAsync(long actualUnits, CancellationToken cancellationToken = default) => default;
                public ValueTask<RecordResult> CommitEstimateAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask<TopUpResult> TopUpAsync(long units, CancellationToken cancellationToken = default) => default;
                public ValueTask<bool> ExtendAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask ReleaseAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask DisposeAsync() => default;
            }

            public interface IAgentBill
            {
                ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default);
                ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default);
                ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default);
            }

            public static class AgentBillExtensions
            {
                public static ValueTask<PreflightResult> PreflightAsync(this IAgentBill bill, string agentId, long estimatedUnits = 1, string? customerId = null, long? ceiling = null, CancellationToken cancellationToken = default) => default;
                public static ValueTask<Reservation> ReserveAsync(this IAgentBill bill, string agentId, long estimatedUnits = 1, string? customerId = null, long? ceiling = null, CancellationToken cancellationToken = default) => default;
            }

            public static class AgentBillResultExtensions
            {
                public static PreflightResult EnsureApproved(this PreflightResult result) => result;
            }
        }

        namespace AgentBill.Extensions.AI
        {
            public sealed class AgentBillChatClient : DelegatingChatClient
            {
                public AgentBillChatClient(IChatClient innerClient, IAgentBill bill) : base(innerClient) { }
            }

            public static class AgentBillChatClientBuilderExtensions
            {
                public static ChatClientBuilder UseAgentBill(this ChatClientBuilder builder, IAgentBill? bill = null, Action<object>? configure = null) => builder;
            }

            public sealed class AgentBillEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
            {
                public AgentBillEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, IAgentBill bill) : base(innerGenerator) { }
            }

            public static class AgentBillEmbeddingGeneratorBuilderExtensions
            {
                public static EmbeddingGeneratorBuilder<string, Embedding<float>> UseAgentBill(this EmbeddingGeneratorBuilder<string, Embedding<float>> builder, IAgentBill? bill = null) => builder;
            }
        }

        namespace AgentBill.SemanticKernel
        {
            public sealed class AgentBillFunctionFilter : IFunctionInvocationFilter
            {
                public AgentBillFunctionFilter(IAgentBill bill) { }
                public Task OnFunctionInvocationAsync(Microsoft.SemanticKernel.FunctionInvocationContext context, Func<Microsoft.SemanticKernel.FunctionInvocationContext, Task> next) => next(context);
            }

            public sealed class AgentBillAutoFunctionFilter : IAutoFunctionInvocationFilter
            {
                public AgentBillAutoFunctionFilter(IAgentBill bill) { }
                public Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next) => next(context);
            }
        }

        namespace AgentBill.SemanticKernel
        {
            public static class AgentBillKernelBuilderExtensions
            {
                public static IKernelBuilder AddAgentBillFilters(this IKernelBuilder builder, IAgentBill? bill = null) => builder;
                public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddAgentBillKernelFilters(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) => services;
            }
        }

        namespace OpenAI.Chat
        {
            public sealed class ChatCompletion { }

            public class ChatClient
            {
                protected ChatClient() { }
                public ChatClient(string model, string apiKey) { }
                public virtual ChatCompletion CompleteChat(params string[] messages) => new();
                public virtual Task<ChatCompletion> CompleteChatAsync(params string[] messages) => Task.FromResult(new ChatCompletion());
                public virtual IEnumerable<string> CompleteChatStreaming(params string[] messages) => Array.Empty<string>();
                public virtual IAsyncEnumerable<string> CompleteChatStreamingAsync(params string[] messages) => throw new NotSupportedException();
            }
        }

        namespace OpenAI
        {
            public class OpenAIClient
            {
                public OpenAIClient(string apiKey) { }
                public virtual Chat.ChatClient GetChatClient(string model) => new(model, "key");
            }
        }

        namespace Azure.AI.OpenAI
        {
            public sealed class AzureOpenAIClient : global::OpenAI.OpenAIClient
            {
                public AzureOpenAIClient(Uri endpoint, string key) : base(key) { }
                public override global::OpenAI.Chat.ChatClient GetChatClient(string deploymentName) => new AzureChatClient();
            }

            public sealed class AzureChatClient : global::OpenAI.Chat.ChatClient
            {
                public override Task<global::OpenAI.Chat.ChatCompletion> CompleteChatAsync(params string[] messages) => Task.FromResult(new global::OpenAI.Chat.ChatCompletion());
            }
        }
        """;

    private static readonly Lazy<MetadataReference> s_reference = new(Compile);

    public static MetadataReference Reference => s_reference.Value;

    private static MetadataReference Compile()
    {
        var compilation = CSharpCompilation.Create(
            "AgentBill.StandIns",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.Runtime,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The stand-in types do not compile: " + string.Join(Environment.NewLine, result.Diagnostics));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
