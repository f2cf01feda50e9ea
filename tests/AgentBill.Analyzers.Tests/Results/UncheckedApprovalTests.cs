using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UncheckedApprovalAnalyzer>;

namespace AgentBill.Analyzers.Tests.Results;

/// <summary>AGB0003: a preflight or top-up answer nobody checks.</summary>
public sealed class UncheckedApprovalTests
{
    [Fact]
    public Task A_discarded_preflight_is_reported_with_the_call_named()
        => Verify.VerifyAsync(
            Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill) => await bill.{|#0:PreflightAsync|}("agent", 5);
            }
            """,
            new DiagnosticResult(DiagnosticIds.UncheckedApproval, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("PreflightAsync"));

    [Fact]
    public Task A_preflight_whose_result_is_read_but_never_checked_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    var result = await bill.{|AGB0003:PreflightAsync|}(new PreflightRequest("agent"));
                    Console.WriteLine(result.ReservationId);
                }
            }
            """);

    [Fact]
    public Task A_top_up_whose_refusal_is_ignored_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task LoopAsync(Reservation reservation, IAgentBill bill)
                {
                    await reservation.{|AGB0003:TopUpAsync|}(10);
                    await bill.{|AGB0003:TopUpAsync|}("r-1", 10);
                }
            }
            """);

    [Fact]
    public Task A_preflight_checked_through_Approved_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task<bool> RunAsync(IAgentBill bill)
                {
                    var result = await bill.PreflightAsync("agent");
                    if (!result.Approved)
                    {
                        return false;
                    }

                    return (await bill.PreflightAsync("other")).Approved;
                }
            }
            """);

    [Fact]
    public Task A_preflight_checked_through_Reason_or_EnsureApproved_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    var first = await bill.PreflightAsync("agent");
                    Console.WriteLine(first.Reason);
                    (await bill.PreflightAsync("agent")).EnsureApproved();
                    var second = await bill.PreflightAsync("agent");
                    second.EnsureApproved();
                }
            }
            """);

    [Fact]
    public Task A_result_handed_on_or_matched_by_a_pattern_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task<PreflightResult> CheckAsync(IAgentBill bill) => await bill.PreflightAsync("agent");

                async Task<bool> MatchAsync(IAgentBill bill)
                {
                    var result = await bill.PreflightAsync("agent");
                    return result is { Approved: true };
                }

                async Task<bool> LoopAsync(Reservation reservation)
                {
                    var topUp = await reservation.TopUpAsync(10);
                    return topUp.Approved;
                }
            }
            """);
}
