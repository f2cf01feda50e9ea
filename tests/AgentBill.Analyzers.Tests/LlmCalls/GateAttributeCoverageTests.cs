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
    [InlineData("OpenAI.OpenAIClient openai", "openai.GetChatClient(\"gpt\").CompleteChatAsync(\"hi\")")]
    [InlineData("OpenAI.Responses.ResponsesClient responses", "responses.CreateResponseAsync(\"gpt\", \"hi\")")]
    [InlineData("OpenAI.Embeddings.EmbeddingClient embeddings", "embeddings.GenerateEmbeddingAsync(\"hi\")")]
    [InlineData("OpenAI.Images.ImageClient images", "images.GenerateImageAsync(\"a cat\")")]
    [InlineData("OpenAI.Audio.AudioClient audio", "audio.GenerateSpeechAsync(\"hi\", OpenAI.Audio.GeneratedSpeechVoice.Alloy)")]
    [InlineData("IChatCompletionService chat", "chat.GetChatMessageContentAsync(\"hi\")")]
    [InlineData("IChatCompletionService chat", "chat.GetStreamingChatMessageContentsAsync(new ChatHistory())")]
    [InlineData("Kernel kernel", "kernel.InvokePromptAsync(\"hi\")")]
    [InlineData("Kernel kernel", "kernel.InvokePromptStreamingAsync(\"hi\")")]
    public Task Every_known_api_is_covered_by_a_gate_on_the_method(string parameter, string call)
        => Verify.VerifyAsync(Usings.All + $$"""
            #pragma warning disable OPENAI001, MEAI001 // evaluation-only APIs
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
    [InlineData("OpenAI.Responses.ResponsesClient responses", "responses.{|AGB0001:CreateResponseAsync|}(\"gpt\", \"hi\")")]
    [InlineData("OpenAI.Embeddings.EmbeddingClient embeddings", "embeddings.{|AGB0001:GenerateEmbeddingsAsync|}(new[] { \"hi\" })")]
    [InlineData("OpenAI.Images.ImageClient images", "images.{|AGB0001:GenerateImage|}(\"a cat\")")]
    [InlineData("OpenAI.Audio.AudioClient audio", "audio.{|AGB0001:TranscribeAudioAsync|}(System.IO.Stream.Null, \"a.wav\")")]
    [InlineData("OpenAI.Audio.AudioClient audio", "audio.{|AGB0001:GenerateSpeech|}(\"hi\", OpenAI.Audio.GeneratedSpeechVoice.Alloy)")]
    [InlineData("IImageGenerator images", "images.{|AGB0001:GenerateImagesAsync|}(\"a cat\")")]
    [InlineData("ISpeechToTextClient speech", "speech.{|AGB0001:GetTextAsync|}(System.IO.Stream.Null)")]
    [InlineData("ITextToSpeechClient speech", "speech.{|AGB0001:GetAudioAsync|}(\"hi\")")]
    public Task Every_known_api_is_reported_in_the_same_method_without_the_gate(string parameter, string call)
        => Verify.VerifyAsync(Usings.All + $$"""
            #pragma warning disable OPENAI001, MEAI001 // evaluation-only APIs
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
    public Task A_gate_on_a_local_function_covers_nothing_because_the_generator_rejects_it()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                public Task<ChatResponse> AskAsync(IChatClient client)
                {
                    return Ask("hello");

                    [Gate("ask")]
                    Task<ChatResponse> Ask(string prompt) => client.{|AGB0001:GetResponseAsync|}(prompt);
                }
            }
            """);

    [Fact]
    public Task An_implementation_of_a_gated_interface_member_and_an_override_of_a_gated_virtual_method_are_covered()
        => Verify.VerifyAsync(Usings.All + """
            interface IAgent
            {
                [Gate("ask")]
                Task<ChatResponse> AskAsync(IChatClient client);
            }

            sealed class Agent : IAgent
            {
                public Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }

            class Base
            {
                [Gate("ask")]
                public virtual Task<ChatResponse> RunAsync(IChatClient client) => client.GetResponseAsync("hello");
            }

            sealed class Derived : Base
            {
                public override Task<ChatResponse> RunAsync(IChatClient client) => client.GetResponseAsync("again");
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
