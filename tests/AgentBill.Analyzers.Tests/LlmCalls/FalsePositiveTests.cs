using Microsoft.CodeAnalysis;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>Code that looks like a model call but must stay silent: wrappers, tests, generated code.</summary>
public sealed class FalsePositiveTests
{
    [Fact]
    public Task A_delegating_chat_client_forwarding_to_its_inner_client_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class RetryingChatClient(IChatClient inner) : DelegatingChatClient(inner)
            {
                public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                {
                    try
                    {
                        return await base.GetResponseAsync(messages, options, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        return await InnerClient.GetResponseAsync(messages, options, cancellationToken);
                    }
                }
            }
            """);

    [Fact]
    public Task A_chat_client_implementation_forwarding_to_a_wrapped_client_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class PrefixingClient(IChatClient inner) : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                    => inner.GetResponseAsync(messages, options, cancellationToken);

                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                    => inner.GetStreamingResponseAsync(messages, options, cancellationToken);

                public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

                public void Dispose() => inner.Dispose();
            }
            """);

    [Fact]
    public Task A_private_helper_of_a_chat_client_implementation_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class RetryingClient(IChatClient inner) : IChatClient
            {
                public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                    => SendAsync(messages, options, cancellationToken);

                public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                    => inner.GetStreamingResponseAsync(messages, options, cancellationToken);

                public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

                public void Dispose() => inner.Dispose();

                private async Task<ChatResponse> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
                {
                    try
                    {
                        return await inner.GetResponseAsync(messages, options, cancellationToken);
                    }
                    catch (TimeoutException)
                    {
                        return await inner.GetResponseAsync(messages, options, cancellationToken);
                    }
                }
            }
            """);

    [Fact]
    public Task A_method_of_a_wrapper_that_is_not_itself_a_model_api_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class Assistant(IChatClient inner)
            {
                public Task<ChatResponse> AskAsync(string question) => inner.{|AGB0001:GetResponseAsync|}(question);
            }
            """);

    [Fact]
    public Task A_call_to_a_wrapper_that_is_a_gated_client_type_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            sealed class BilledAssistant(AgentBillChatClient client)
            {
                public Task<ChatResponse> AskAsync(string question) => client.GetResponseAsync(question);
            }
            """);

    [Fact]
    public Task A_call_in_an_xunit_test_method_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            public class AgentTests
            {
                [Xunit.Fact]
                public async Task Answers()
                {
                    IChatClient client = null!;
                    await client.GetResponseAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_helper_in_a_class_that_holds_tests_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            public class AgentTests
            {
                [Xunit.Theory]
                [Xunit.InlineData("hello")]
                public Task Answers(string prompt) => AskAsync(prompt);

                private static Task<ChatResponse> AskAsync(string prompt)
                {
                    IChatClient client = null!;
                    return client.GetResponseAsync(prompt);
                }
            }
            """);

    [Fact]
    public Task A_file_marked_auto_generated_is_not_analyzed()
        => Verify.VerifyAsync("""
            // <auto-generated/>
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class GeneratedAgent
            {
                Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_generated_file_name_is_not_analyzed()
    {
        var test = new Verify(Usings.All + "class Empty { }");
        test.TestState.Sources.Add(("Agent.g.cs", """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            class GeneratedAgent
            {
                Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }
            """));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task A_member_marked_GeneratedCode_is_not_analyzed()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
                Task<ChatResponse> AskAsync(IChatClient client) => client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_nested_type_call_is_reported_once()
        => Verify.VerifyAsync(Usings.All + """
            class Outer
            {
                class Inner
                {
                    Task<ChatResponse> AskAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_project_without_any_model_api_reference_reports_nothing()
    {
        var test = new Verify("""
            class GetResponseAsyncLookalike
            {
                public void GetResponseAsync() { }
                void Run() => GetResponseAsync();
            }
            """);
        test.TestState.AdditionalReferences.Clear();
        string[] modelApis = ["Microsoft.Extensions.AI", "SemanticKernel", "OpenAI", "AgentBill"];
        test.TestState.AdditionalReferences.AddRange(TestReferences.All.Where(r => !modelApis.Any(api => r.Display!.Contains(api, StringComparison.Ordinal))));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
