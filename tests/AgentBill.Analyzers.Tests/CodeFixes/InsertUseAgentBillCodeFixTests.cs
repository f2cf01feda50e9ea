using AgentBill.Analyzers.CodeFixes;
using Fix = AgentBill.Analyzers.Tests.CodeFixTest<AgentBill.Analyzers.UngatedLlmCallAnalyzer, AgentBill.Analyzers.CodeFixes.InsertUseAgentBillCodeFixProvider>;

namespace AgentBill.Analyzers.Tests.CodeFixes;

/// <summary>The AGB0001 fix that inserts .UseAgentBill() before Build() in a builder chain in view.</summary>
public sealed class InsertUseAgentBillCodeFixTests
{
    [Fact]
    public Task The_fix_inserts_UseAgentBill_in_a_one_line_chain_and_imports_its_namespace()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var client = new ChatClientBuilder(inner).Build();
                    return client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var client = new ChatClientBuilder(inner).UseAgentBill().Build();
                    return client.GetResponseAsync("hello");
                }
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task The_fix_inserts_UseAgentBill_on_its_own_line_innermost_in_a_multi_line_chain()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var client = inner.AsBuilder()
                        .UseFunctionInvocation()
                        .Build();
                    return client.{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var client = inner.AsBuilder()
                        .UseFunctionInvocation()
                        .UseAgentBill()
                        .Build();
                    return client.GetResponseAsync("hello");
                }
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task The_fix_applies_to_a_builder_held_in_a_local()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseFunctionInvocation();
                    return builder.Build().{|AGB0001:GetResponseAsync|}("hello");
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient inner)
                {
                    var builder = new ChatClientBuilder(inner);
                    builder.UseFunctionInvocation();
                    return builder.UseAgentBill().Build().GetResponseAsync("hello");
                }
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task The_fix_applies_to_the_constructor_that_builds_a_field()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                private readonly IChatClient _client;

                public Support(IChatClient inner) => _client = inner.AsBuilder().Build();

                public Task<ChatResponse> AnswerAsync() => _client.{|AGB0001:GetResponseAsync|}("hello");
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                private readonly IChatClient _client;

                public Support(IChatClient inner) => _client = inner.AsBuilder().UseAgentBill().Build();

                public Task<ChatResponse> AnswerAsync() => _client.GetResponseAsync("hello");
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task The_fix_applies_to_an_embedding_generator_builder()
        => Fix.VerifyAsync(
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Indexer
            {
                public Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> inner)
                    => new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).Build().{|AGB0001:GenerateVectorAsync|}("a");
            }
            """,
            """
            using System;
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Indexer
            {
                public Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> inner)
                    => new EmbeddingGeneratorBuilder<string, Embedding<float>>(inner).UseAgentBill().Build().GenerateVectorAsync("a");
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task No_UseAgentBill_fix_is_offered_when_no_builder_is_in_view()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public Task<ChatResponse> AnswerAsync(IChatClient client) => client.{|AGB0001:GetResponseAsync|}("hello");
            }
            """;
        return new Fix(source, source).RunAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public Task Two_calls_on_the_same_client_get_one_UseAgentBill()
        => Fix.VerifyAsync(
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public async Task AnswerTwiceAsync(IChatClient inner)
                {
                    var client = inner.AsBuilder().Build();
                    await client.{|AGB0001:GetResponseAsync|}("first");
                    await client.{|AGB0001:GetResponseAsync|}("second");
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Support
            {
                public async Task AnswerTwiceAsync(IChatClient inner)
                {
                    var client = inner.AsBuilder().UseAgentBill().Build();
                    await client.GetResponseAsync("first");
                    await client.GetResponseAsync("second");
                }
            }
            """,
            InsertUseAgentBillCodeFixProvider.EquivalenceKey);
}
