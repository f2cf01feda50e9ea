using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer>;

namespace AgentBill.Analyzers.Tests.LlmCalls;

/// <summary>A receiver that is an AgentBill gate, or is built in view through UseAgentBill(), covers the call.</summary>
public sealed class ChatPipelineCoverageTests
{
    [Fact]
    public Task A_receiver_typed_AgentBillChatClient_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(AgentBillChatClient client) => client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_local_assigned_a_new_AgentBillChatClient_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner, IAgentBill bill)
                {
                    IChatClient client = new AgentBillChatClient(inner, bill);
                    return client.GetResponseAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_local_built_by_a_ChatClientBuilder_chain_with_UseAgentBill_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner)
                {
                    var client = new ChatClientBuilder(inner)
                        .UseFunctionInvocation()
                        .UseAgentBill()
                        .Build();
                    return client.GetResponseAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_call_directly_on_a_chain_with_UseAgentBill_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner)
                    => inner.AsBuilder().UseAgentBill().Build().GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_builder_local_configured_by_a_separate_UseAgentBill_statement_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseFunctionInvocation();
                    builder.UseAgentBill();
                    var client = builder.Build();
                    return client.GetResponseAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_builder_around_an_already_gated_client_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner, IAgentBill bill)
                {
                    var client = new ChatClientBuilder(new AgentBillChatClient(inner, bill)).UseFunctionInvocation().Build();
                    return client.GetResponseAsync("hello");
                }
            }
            """);

    [Fact]
    public Task A_ChatClientBuilder_chain_without_UseAgentBill_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner)
                {
                    var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
                    return client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task Gating_a_new_pipeline_built_from_a_client_does_not_gate_that_client_itself()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner)
                {
                    var gated = inner.AsBuilder().UseAgentBill().Build();
                    return inner.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_local_with_one_gated_and_one_ungated_write_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner, bool cheap)
                {
                    var client = inner.AsBuilder().UseAgentBill().Build();
                    if (cheap)
                    {
                        client = inner;
                    }

                    return client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_field_assigned_in_the_constructor_through_UseAgentBill_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private readonly IChatClient _client;

                public Agent(IChatClient inner) => _client = inner.AsBuilder().UseAgentBill().Build();

                public Task<ChatResponse> AskAsync() => _client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_field_used_before_the_constructor_that_gates_it_is_declared_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                public Task<ChatResponse> AskAsync() => this.Client.GetResponseAsync("hello");

                private IChatClient Client { get; }

                public Agent(IChatClient inner, IAgentBill bill) => Client = new AgentBillChatClient(inner, bill);
            }
            """);

    [Fact]
    public Task A_field_built_from_a_builder_field_that_UseAgentBill_configures_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private readonly ChatClientBuilder _builder;
                private readonly IChatClient _client;

                public Agent(IChatClient inner)
                {
                    _builder = new ChatClientBuilder(inner);
                    _builder.UseAgentBill();
                    _client = _builder.Build();
                }

                public Task<ChatResponse> AskAsync() => _client.GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_field_assigned_from_a_constructor_parameter_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private readonly IChatClient _client;

                public Agent(IChatClient client) => _client = client;

                public Task<ChatResponse> AskAsync() => _client.{|AGB0001:GetResponseAsync|}("hello");
            }
            """);

    [Fact]
    public Task A_field_that_a_method_can_replace_with_an_ungated_client_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private IChatClient _client;

                public Agent(IChatClient inner) => _client = inner.AsBuilder().UseAgentBill().Build();

                public void Replace(IChatClient other) => _client = other;

                public Task<ChatResponse> AskAsync() => _client.{|AGB0001:GetResponseAsync|}("hello");
            }
            """);

    [Fact]
    public Task An_embedding_generator_built_with_UseAgentBill_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Indexer
            {
                Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> inner)
                {
                    var generator = new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseAgentBill().Build();
                    return generator.GenerateVectorAsync("a");
                }
            }
            """);

    [Fact]
    public Task A_receiver_typed_AgentBillEmbeddingGenerator_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Indexer
            {
                Task<ReadOnlyMemory<float>> EmbedAsync(AgentBillEmbeddingGenerator generator) => generator.GenerateVectorAsync("a");
            }
            """);

    [Fact]
    public Task A_client_chosen_between_two_gated_clients_is_gated()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                Task<ChatResponse> AskAsync(AgentBillChatClient fast, AgentBillChatClient slow, bool quick)
                    => (quick ? fast : slow).GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_UseAgentBill_named_extension_without_the_marker_does_not_gate_wherever_it_is_declared()
        => Verify.VerifyAsync("""
            using System.Threading.Tasks;

            namespace Microsoft.Extensions.AI
            {
                public static class AgentBillChatClientBuilderExtensions
                {
                    public static ChatClientBuilder UseAgentBill(this ChatClientBuilder builder) => builder;
                }
            }

            namespace Shop
            {
                using Microsoft.Extensions.AI;

                class Agent
                {
                    Task<ChatResponse> AskAsync(IChatClient inner) => inner.AsBuilder().UseAgentBill().Build().{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """);

    [Fact]
    public Task A_builder_step_of_the_applications_own_marked_GatesModelCalls_gates()
        => Verify.VerifyAsync(Usings.All + """
            static class Metering
            {
                [GatesModelCalls]
                public static ChatClientBuilder UseMetering(this ChatClientBuilder builder) => builder;
            }

            [GatesModelCalls]
            sealed class MeteredChatClient(IChatClient inner) : DelegatingChatClient(inner);

            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner) => inner.AsBuilder().UseMetering().Build().GetResponseAsync("hello");

                Task<ChatResponse> AskDirectAsync(IChatClient inner) => new MeteredChatClient(inner).GetResponseAsync("hello");
            }
            """);

    [Fact]
    public Task A_method_named_UseAgentBill_that_is_not_such_an_extension_does_not_gate()
        => Verify.VerifyAsync(Usings.All + """
            static class Lookalike
            {
                public static IChatClient UseAgentBill(this IChatClient client) => client;
            }

            class Agent
            {
                Task<ChatResponse> AskAsync(IChatClient inner) => inner.UseAgentBill().{|AGB0001:GetResponseAsync|}("hello");
            }
            """);
}
