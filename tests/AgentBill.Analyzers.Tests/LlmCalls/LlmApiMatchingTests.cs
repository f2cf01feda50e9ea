using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>AGB0001 fires on every model API it knows, matched by symbol, when nothing gates the call.</summary>
public sealed class LlmApiMatchingTests
{
    [Fact]
    public Task IChatClient_GetResponseAsync_interface_method_is_reported_with_the_api_and_the_method_named()
        => Verify.VerifyAsync(
            Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient client, IEnumerable<ChatMessage> messages)
                    => client.{|#0:GetResponseAsync|}(messages, null, CancellationToken.None);
            }
            """,
            new DiagnosticResult(DiagnosticIds.UngatedLlmCall, DiagnosticSeverity.Warning)
                .WithLocation(0)
                .WithArguments("IChatClient.GetResponseAsync", "AskAsync"));

    [Fact]
    public Task IChatClient_GetResponseAsync_extension_with_a_string_prompt_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}("hello");
            }
            """);

    [Fact]
    public Task IChatClient_GetResponseAsync_structured_output_extension_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            record Answer(string Text);
            class Agent
            {
                Task<ChatResponse<Answer>> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync<Answer>|}("hello");
            }
            """);

    [Fact]
    public Task IChatClient_GetStreamingResponseAsync_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                IAsyncEnumerable<ChatResponseUpdate> Stream(IChatClient client) => client.{|AGB0001:GetStreamingResponseAsync|}("hello");
            }
            """);

    [Fact]
    public Task A_call_through_a_class_that_implements_IChatClient_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class FakeClient : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
                public object? GetService(Type serviceType, object? serviceKey = null) => null;
                public void Dispose() { }
            }

            class Agent
            {
                Task<ChatResponse> AskAsync(FakeClient client) => client.{|AGB0001:GetResponseAsync|}([]);
            }
            """);

    [Fact]
    public Task IChatClient_GetService_is_not_a_model_call()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                object? Metadata(IChatClient client) => client.GetService(typeof(ChatClientMetadata));
            }
            """);

    [Fact]
    public Task IEmbeddingGenerator_GenerateAsync_interface_method_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Indexer
            {
                Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator)
                    => generator.{|AGB0001:GenerateAsync|}(["a", "b"], null, CancellationToken.None);
            }
            """);

    [Fact]
    public Task IEmbeddingGenerator_GenerateVectorAsync_extension_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Indexer
            {
                Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator)
                    => generator.{|AGB0001:GenerateVectorAsync|}("a");
            }
            """);

    [Theory]
    [InlineData("CompleteChat")]
    [InlineData("CompleteChatAsync")]
    [InlineData("CompleteChatStreaming")]
    [InlineData("CompleteChatStreamingAsync")]
    public Task OpenAI_ChatClient_CompleteChat_methods_are_reported(string method)
        => Verify.VerifyAsync(Usings.All + $$"""
            class Agent
            {
                object Ask(OpenAI.Chat.ChatClient client) => client.{|AGB0001:{{method}}|}("hello");
            }
            """);

    [Fact]
    public Task The_chat_client_an_OpenAI_client_returns_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                object Ask(OpenAI.OpenAIClient openai) => openai.GetChatClient("gpt-4o").{|AGB0001:CompleteChatAsync|}("hello");
            }
            """);

    [Fact]
    public Task An_override_in_a_type_derived_from_OpenAI_ChatClient_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            // As Azure OpenAI derives its chat client: the override forwards (a model API itself), its callers are checked.
            class RegionalChatClient : OpenAI.Chat.ChatClient
            {
                public override Task<System.ClientModel.ClientResult<OpenAI.Chat.ChatCompletion>> CompleteChatAsync(params OpenAI.Chat.ChatMessage[] messages)
                    => base.CompleteChatAsync(messages);
            }

            class Agent
            {
                object Ask(RegionalChatClient client) => client.{|AGB0001:CompleteChatAsync|}("hello");
            }
            """);

    [Fact]
    public Task Semantic_Kernel_IChatCompletionService_GetChatMessageContentsAsync_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<IReadOnlyList<ChatMessageContent>> AskAsync(IChatCompletionService chat, ChatHistory history)
                    => chat.{|AGB0001:GetChatMessageContentsAsync|}(history, null, null, CancellationToken.None);
            }
            """);

    [Fact]
    public Task Semantic_Kernel_GetChatMessageContentAsync_extension_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatMessageContent> AskAsync(IChatCompletionService chat) => chat.{|AGB0001:GetChatMessageContentAsync|}("hello");
            }
            """);

    [Fact]
    public Task Semantic_Kernel_GetStreamingChatMessageContentsAsync_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                IAsyncEnumerable<StreamingChatMessageContent> Stream(IChatCompletionService chat, ChatHistory history)
                    => chat.{|AGB0001:GetStreamingChatMessageContentsAsync|}(history);
            }
            """);

    [Fact]
    public Task Semantic_Kernel_AsChatClient_is_not_a_model_call()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                IChatClient Adapt(IChatCompletionService chat) => chat.AsChatClient();
            }
            """);

    [Fact]
    public Task Kernel_InvokePromptAsync_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<FunctionResult> AskAsync(Kernel kernel) => kernel.{|AGB0001:InvokePromptAsync|}("hello");
            }
            """);

    [Fact]
    public Task Kernel_InvokePromptStreamingAsync_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                IAsyncEnumerable<StreamingKernelContent> Stream(Kernel kernel) => kernel.{|AGB0001:InvokePromptStreamingAsync|}("hello");
            }
            """);

    [Fact]
    public Task A_call_in_top_level_statements_is_reported()
    {
        var test = new Verify(
            Usings.All + """
            IChatClient client = null!;
            await client.{|#0:GetResponseAsync|}("hello");
            """,
            outputKind: OutputKind.ConsoleApplication);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticIds.UngatedLlmCall, DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithArguments("IChatClient.GetResponseAsync", "top-level statements"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task A_conditional_access_call_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse>? AskAsync(IChatClient? client) => client?.{|AGB0001:GetResponseAsync|}("hello");
            }
            """);
}
