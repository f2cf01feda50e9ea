using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBill.Analyzers.Tests.Agents;

/// <summary>AGB0006 (an agent on an ungated chat client) and AGB0007 (the agent's UseAgentBill() over a chat client's own ungated tool loop).</summary>
public sealed class UngatedAgentChatClientTests
{
    [Fact]
    public Task An_agent_on_a_model_client_made_here_is_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build() => new LocalModel().{|#0:AsAIAgent|}(instructions: "Plan trips.");
            }
            """,
            Expect(AgentDiagnostics.UngatedAgentChatClientId, "AsAIAgent"));

    [Fact]
    public Task An_agent_on_an_ungated_pipeline_from_a_local_is_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build()
                {
                    var client = new LocalModel().AsBuilder().UseFunctionInvocation().Build();
                    return client.{|#0:AsAIAgent|}();
                }
            }
            """,
            Expect(AgentDiagnostics.UngatedAgentChatClientId, "AsAIAgent"));

    [Fact]
    public Task A_ChatClientAgent_constructed_on_an_ungated_client_is_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build() => {|#0:new ChatClientAgent(new LocalModel(), "Plan trips.")|};
            }
            """,
            Expect(AgentDiagnostics.UngatedAgentChatClientId, "new ChatClientAgent"));

    [Fact]
    public Task An_agent_built_from_an_ungated_builder_is_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build() => new ChatClientBuilder(new LocalModel()).UseFunctionInvocation().{|#0:BuildAIAgent|}();
            }
            """,
            Expect(AgentDiagnostics.UngatedAgentChatClientId, "BuildAIAgent"));

    [Fact]
    public Task The_agents_UseAgentBill_over_a_chat_clients_own_ungated_tool_loop_is_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build(IAgentBill bill)
                    => new LocalModel().AsBuilder().UseFunctionInvocation().Build()
                        .AsAIAgent()
                        .AsBuilder()
                        .{|#0:UseAgentBill|}(bill)
                        .Build();
            }
            """,
            new DiagnosticResult(AgentDiagnostics.UngatedAgentToolLoopId, DiagnosticSeverity.Warning).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task An_agent_on_a_gated_chat_client_is_not_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Chain() => new LocalModel().AsBuilder().UseAgentBill().Build().AsAIAgent();
                AIAgent Loop() => new LocalModel().AsBuilder().UseFunctionInvocation().UseAgentBill().Build().AsAIAgent();
                AIAgent Made(IAgentBill bill) => new AgentBillChatClient(new LocalModel(), bill).AsAIAgent();
                AIAgent Builder() => new ChatClientBuilder(new LocalModel()).UseAgentBill().BuildAIAgent();
            }
            """);

    [Fact]
    public Task An_agent_whose_builder_adds_UseAgentBill_is_not_reported()
        => VerifyAsync("""
            class Setup
            {
                AIAgent Build(IAgentBill bill) => new LocalModel().AsAIAgent(instructions: "Plan trips.").AsBuilder().UseAgentBill(bill).Build();
            }
            """);

    [Fact]
    public Task An_agent_on_a_chat_client_it_cannot_see_is_not_reported()
        => VerifyAsync("""
            class Setup
            {
                private readonly IChatClient _field = new LocalModel();
                AIAgent Parameter(IChatClient chat) => chat.AsAIAgent();
                AIAgent Field() => _field.AsAIAgent();
                AIAgent Factory() => MakeClient().AsAIAgent();
                AIAgent Reassigned(bool local)
                {
                    IChatClient client = new LocalModel();
                    if (local) { client = MakeClient(); }
                    return client.AsAIAgent();
                }

                static IChatClient MakeClient() => new LocalModel();
            }
            """);

    [Fact]
    public Task Look_alike_agent_factories_are_not_reported()
        => VerifyAsync("""
            namespace MyCompany
            {
                public sealed class Agent { }

                public static class AgentExtensions
                {
                    public static Agent AsAIAgent(this IChatClient client) => new Agent();
                    public static AIAgentBuilder UseAgentBill(this AIAgentBuilder builder) => builder;
                }

                class Setup
                {
                    Agent Own() => AgentExtensions.AsAIAgent(new LocalModel());
                }
            }
            """);

    [Fact]
    public Task A_look_alike_UseAgentBill_on_the_agent_builder_does_not_hide_an_ungated_agent()
        => VerifyAsync("""
            namespace MyCompany
            {
                public static class Fakes
                {
                    public static AIAgentBuilder UseAgentBill(this AIAgentBuilder builder, int budget) => builder;
                }

                class Setup
                {
                    AIAgent Build() => new LocalModel().{|#0:AsAIAgent|}().AsBuilder().UseAgentBill(5).Build();
                }
            }
            """,
            Expect(AgentDiagnostics.UngatedAgentChatClientId, "AsAIAgent"));

    internal static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<UngatedAgentChatClientAnalyzer>(AgentSources.Usings + source);
        test.TestState.Sources.Add(("Support.cs", AgentSources.Support));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    private static DiagnosticResult Expect(string id, string madeBy)
        => new DiagnosticResult(id, DiagnosticSeverity.Warning).WithLocation(0).WithArguments(madeBy).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
