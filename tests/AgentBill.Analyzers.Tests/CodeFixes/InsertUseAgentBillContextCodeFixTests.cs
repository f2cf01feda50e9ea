using AgentBill.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis.Testing;

namespace AgentBill.Analyzers.Tests.CodeFixes;

/// <summary>The AGB0004 fix that puts .UseAgentBillContext() first in a gated tool loop's pipeline.</summary>
public sealed class InsertUseAgentBillContextCodeFixTests
{
    [Fact]
    public Task The_fix_inserts_UseAgentBillContext_first_in_a_one_line_chain()
        => VerifyAsync(
            """
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Setup
            {
                public IChatClient Build(IChatClient inner) => inner.AsBuilder().{|#0:UseFunctionInvocation|}().UseAgentBill().Build();
            }
            """,
            """
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Setup
            {
                public IChatClient Build(IChatClient inner) => inner.AsBuilder().UseAgentBillContext().UseFunctionInvocation().UseAgentBill().Build();
            }
            """);

    [Fact]
    public Task The_fix_inserts_UseAgentBillContext_on_its_own_line_before_the_outermost_step_of_a_multi_line_chain()
        => VerifyAsync(
            """
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Setup
            {
                public IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseLogging()
                        .{|#0:UseFunctionInvocation|}()
                        .UseAgentBill()
                        .Build();
            }
            """,
            """
            using AgentBill.Extensions.AI;
            using Microsoft.Extensions.AI;

            public class Setup
            {
                public IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .UseAgentBillContext()
                        .UseLogging()
                        .UseFunctionInvocation()
                        .UseAgentBill()
                        .Build();
            }
            """);

    private static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new CodeFixTest<GateOutsideToolLoopAnalyzer, InsertUseAgentBillContextCodeFixProvider>(source, fixedSource)
        {
            CodeActionEquivalenceKey = InsertUseAgentBillContextCodeFixProvider.EquivalenceKey,
        };
        test.TestState.ExpectedDiagnostics.Add(new DiagnosticResult(AgentBillDiagnostics.ToolLoopWithoutContextCapture).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("UseFunctionInvocation"));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }
}
