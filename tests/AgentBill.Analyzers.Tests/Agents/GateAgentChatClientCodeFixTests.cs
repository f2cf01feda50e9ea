using AgentBill.Analyzers.CodeFixes;

namespace AgentBill.Analyzers.Tests.Agents;

/// <summary>The fixes of AGB0006 and AGB0007: the agent's chat client gated inside its tool loop.</summary>
public sealed class GateAgentChatClientCodeFixTests
{
    [Fact]
    public Task A_model_client_is_wrapped_in_a_gated_pipeline()
        => VerifyAsync<GateAgentChatClientCodeFixProvider>(
            """
            class Setup
            {
                AIAgent Build() => new LocalModel().{|AGB0006:AsAIAgent|}(instructions: "Plan trips.");
            }
            """,
            """
            class Setup
            {
                AIAgent Build() => new LocalModel().AsBuilder().UseAgentBill().Build().AsAIAgent(instructions: "Plan trips.");
            }
            """);

    [Fact]
    public Task A_builder_chain_gets_UseAgentBill_inside_its_tool_loop()
        => VerifyAsync<InsertUseAgentBillCodeFixProvider>(
            """
            class Setup
            {
                AIAgent Build() => new ChatClientBuilder(new LocalModel()).UseFunctionInvocation().{|AGB0006:BuildAIAgent|}();
            }
            """,
            """
            class Setup
            {
                AIAgent Build() => new ChatClientBuilder(new LocalModel()).UseFunctionInvocation().UseAgentBill().BuildAIAgent();
            }
            """);

    [Fact]
    public Task A_chat_clients_own_tool_loop_gets_UseAgentBill_inside_it()
        => VerifyAsync<InsertUseAgentBillCodeFixProvider>(
            """
            class Setup
            {
                AIAgent Build(IAgentBill bill) => new LocalModel().AsBuilder().UseFunctionInvocation().Build().AsAIAgent().AsBuilder().{|AGB0007:UseAgentBill|}(bill).Build();
            }
            """,
            """
            class Setup
            {
                AIAgent Build(IAgentBill bill) => new LocalModel().AsBuilder().UseFunctionInvocation().UseAgentBill().Build().AsAIAgent().AsBuilder().UseAgentBill(bill).Build();
            }
            """);

    private static Task VerifyAsync<TFix>(string source, string fixedSource)
        where TFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new CodeFixTest<UngatedAgentChatClientAnalyzer, TFix>(AgentSources.Usings + source, AgentSources.Usings + fixedSource);
        test.TestState.Sources.Add(("Support.cs", AgentSources.Support));
        test.FixedState.Sources.Add(("Support.cs", AgentSources.Support));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
