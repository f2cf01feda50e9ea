using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.GateOutsideToolLoopAnalyzer>;

namespace AgentBill.Analyzers.Tests.Pipelines;

/// <summary>AGB0004: UseAgentBill() outside UseFunctionInvocation() gates the tool loop once instead of every round-trip.</summary>
public sealed class GateOutsideToolLoopTests
{
    [Fact]
    public Task UseAgentBill_before_UseFunctionInvocation_is_reported()
        => Verify.VerifyAsync(
            Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().{|#0:UseAgentBill|}().UseFunctionInvocation().Build();
            }
            """,
            new DiagnosticResult(DiagnosticIds.GateOutsideToolLoop, DiagnosticSeverity.Warning).WithLocation(0));

    [Fact]
    public Task UseAgentBill_several_steps_before_UseFunctionInvocation_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .{|AGB0004:UseAgentBill|}()
                        .ConfigureOptions(o => o.Temperature = 0)
                        .UseFunctionInvocation()
                        .Build();
            }
            """);

    [Fact]
    public Task UseAgentBill_before_Semantic_Kernels_UseKernelFunctionInvocation_is_reported_naming_it()
        => Verify.VerifyAsync(
            Usings.All + """
            static class KernelPipelines
            {
                // Semantic Kernel's extension, as it is declared: a ChatClientBuilder step.
                public static ChatClientBuilder UseKernelFunctionInvocation(this ChatClientBuilder builder) => builder;
            }

            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().{|#0:UseAgentBill|}().UseKernelFunctionInvocation().Build();

                IChatClient Inside(IChatClient inner) => inner.AsBuilder().UseKernelFunctionInvocation().UseAgentBill().Build();
            }
            """,
            new DiagnosticResult(DiagnosticIds.GateOutsideToolLoop, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("UseKernelFunctionInvocation"));

    [Fact]
    public Task UseAgentBill_after_UseFunctionInvocation_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().UseFunctionInvocation().UseAgentBill().Build();
            }
            """);

    [Fact]
    public Task A_pipeline_without_function_invocation_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().UseAgentBill().Build();
            }
            """);
}
