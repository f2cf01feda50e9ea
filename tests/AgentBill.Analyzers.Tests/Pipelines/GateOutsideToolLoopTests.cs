using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.GateOutsideToolLoopAnalyzer>;

namespace AgentBill.Analyzers.Tests.Pipelines;

/// <summary>
/// AGB0004: UseAgentBill() outside UseFunctionInvocation() gates the tool loop once instead of every round-trip; a gated
/// tool loop whose pipeline does not start with UseAgentBillContext() charges a stream read after its context ended to
/// the default customer.
/// </summary>
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
        => Verify.VerifyAsync(
            Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner)
                        .{|#0:UseAgentBill|}()
                        .ConfigureOptions(o => o.Temperature = 0)
                        .UseFunctionInvocation()
                        .Build();
            }
            """,
            new DiagnosticResult(AgentBillDiagnostics.GateOutsideToolLoop).WithLocation(0).WithArguments("UseFunctionInvocation"));

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

                IChatClient Inside(IChatClient inner) => inner.AsBuilder().UseAgentBillContext().UseKernelFunctionInvocation().UseAgentBill().Build();
            }
            """,
            new DiagnosticResult(DiagnosticIds.GateOutsideToolLoop, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("UseKernelFunctionInvocation"));

    [Fact]
    public Task The_recommended_pipeline_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().UseAgentBillContext().UseFunctionInvocation().UseAgentBill().Build();

                IChatClient Created(IChatClient inner)
                    => new ChatClientBuilder(inner).UseAgentBillContext().ConfigureOptions(o => o.Temperature = 0).UseFunctionInvocation().UseAgentBill().Build();

                IChatClient InOneCall(IChatClient inner) => inner.AsBuilder().UseAgentBillWithFunctionInvocation().Build();

                void Registered(IServiceCollection services, IChatClient inner)
                    => services.AddChatClient(inner).UseAgentBillContext().UseFunctionInvocation().UseAgentBill();
            }
            """);

    [Fact]
    public Task A_gated_tool_loop_without_the_context_capture_is_reported_at_the_loop()
        => Verify.VerifyAsync(
            Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner) => inner.AsBuilder().{|#0:UseFunctionInvocation|}().UseAgentBill().Build();

                void Registered(IServiceCollection services, IChatClient inner)
                    => services.AddChatClient(inner).{|#1:UseFunctionInvocation|}().UseAgentBill().UseAgentBill();
            }
            """,
            new DiagnosticResult(AgentBillDiagnostics.ToolLoopWithoutContextCapture).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("UseFunctionInvocation"),
            new DiagnosticResult(AgentBillDiagnostics.ToolLoopWithoutContextCapture).WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("UseFunctionInvocation"));

    [Fact]
    public Task A_context_capture_that_is_not_the_first_step_is_reported()
        => Verify.VerifyAsync(
            Usings.All + """
            class Setup
            {
                IChatClient Build(IChatClient inner)
                    => new ChatClientBuilder(inner).UseLogging().UseAgentBillContext().{|#0:UseFunctionInvocation|}().UseAgentBill().Build();
            }
            """,
            new DiagnosticResult(AgentBillDiagnostics.ToolLoopWithoutContextCapture).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("UseFunctionInvocation"));

    [Fact]
    public Task A_chain_on_a_builder_made_elsewhere_is_not_reported_for_the_capture()
        => Verify.VerifyAsync(Usings.All + """
            class Setup
            {
                IChatClient Build(ChatClientBuilder builder) => builder.UseFunctionInvocation().UseAgentBill().Build();
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
