using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>A [Gate] on the enclosing method covers its calls, including those in its lambdas and local functions.</summary>
public sealed class GateAttributeCoverageTests
{
    [Theory]
    [InlineData("IChatClient client", "client.GetResponseAsync(\"hi\")")]
    [InlineData("IChatClient client", "client.GetStreamingResponseAsync(\"hi\")")]
    [InlineData("IEmbeddingGenerator<string, Embedding<float>> generator", "generator.GenerateAsync([\"hi\"])")]
    [InlineData("IEmbeddingGenerator<string, Embedding<float>> generator", "generator.GenerateVectorAsync(\"hi\")")]
    [InlineData("OpenAI.Chat.ChatClient client", "client.CompleteChat(\"hi\")")]
    [InlineData("Azure.AI.OpenAI.AzureOpenAIClient azure", "azure.GetChatClient(\"gpt\").CompleteChatAsync(\"hi\")")]
    [InlineData("IChatCompletionService chat", "chat.GetChatMessageContentAsync(\"hi\")")]
    [InlineData("IChatCompletionService chat", "chat.GetStreamingChatMessageContentsAsync(new ChatHistory())")]
    [InlineData("Kernel kernel", "kernel.InvokePromptAsync(\"hi\")")]
    [InlineData("Kernel kernel", "kernel.InvokePromptStreamingAsync(\"hi\")")]
    public Task Every_known_api_is_covered_by_a_gate_on_the_method(string parameter, string call)
        => Verify.VerifyAsync(Usings.All + $$"""
            class Agent
            {
                [Gate("run")]
                object Run({{parameter}}) => {{call}};
            }
            """);

    [Theory]
    [InlineData("IChatClient client", "client.{|AGB0001:GetResponseAsync|}(\"hi\")")]
    [InlineData("IEmbeddingGenerator<string, Embedding<float>> generator", "generator.{|AGB0001:GenerateVectorAsync|}(\"hi\")")]
    [InlineData("OpenAI.Chat.ChatClient client", "client.{|AGB0001:CompleteChat|}(\"hi\")")]
    [InlineData("IChatCompletionService chat", "chat.{|AGB0001:GetChatMessageContentAsync|}(\"hi\")")]
    [InlineData("Kernel kernel", "kernel.{|AGB0001:InvokePromptAsync|}(\"hi\")")]
    public Task Every_known_api_is_reported_in_the_same_method_without_the_gate(string parameter, string call)
        => Verify.VerifyAsync(Usings.All + $$"""
            class Agent
            {
                object Run({{parameter}}) => {{call}};
            }
            """);

    [Fact]
    public Task A_call_in_a_gated_method_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                [Gate("ask", EstimatedUnits = 1)]
                public Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_call_in_a_lambda_inside_a_gated_method_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                [Gate("ask")]
                public async Task AskAllAsync(IChatClient client, string[] prompts)
                {
                    var tasks = Array.ConvertAll(prompts, prompt => client.GetResponseAsync(prompt));
                    await Task.WhenAll(tasks);
                }
            }
            """);

    [Fact]
    public Task A_call_in_a_local_function_inside_a_gated_method_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                [Gate("ask")]
                public Task<ChatResponse> AskAsync(IChatClient client)
                {
                    return Ask("hello");

                    Task<ChatResponse> Ask(string prompt) => client.GetResponseAsync(prompt);
                }
            }
            """);

    [Fact]
    public Task A_gated_local_function_covers_its_own_calls()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                public Task<ChatResponse> AskAsync(IChatClient client)
                {
                    return Ask("hello");

                    [Gate("ask")]
                    Task<ChatResponse> Ask(string prompt) => client.GetResponseAsync(prompt);
                }
            }
            """);

    [Fact]
    public Task A_gate_on_one_method_does_not_cover_another_method_of_the_same_class()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                [Gate("ask")]
                public Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");

                public Task<ChatResponse> SummarizeAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}("summarize");
            }
            """);

    [Fact]
    public Task An_attribute_named_Gate_from_another_namespace_does_not_cover_the_call()
        => Verify.VerifyAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            namespace Elsewhere
            {
                sealed class GateAttribute : Attribute
                {
                    public GateAttribute(string name) { }
                }

                class Agent
                {
                    [Gate("ask")]
                    public Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);
}
