using AgentBill.Analyzers.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Fix = AgentBill.Analyzers.Tests.CodeFixTest<AgentBill.Analyzers.UnsettledReservationAnalyzer, AgentBill.Analyzers.CodeFixes.AwaitUsingReservationCodeFixProvider>;
using Verify = AgentBill.Analyzers.Tests.AnalyzerTest<AgentBill.Analyzers.UnsettledReservationAnalyzer>;

namespace AgentBill.Analyzers.Tests.Reservations;

/// <summary>AGB0002: a reservation that is neither committed, released, disposed nor handed on; and its fix.</summary>
public sealed class UnsettledReservationTests
{
    [Fact]
    public Task A_reservation_held_in_a_local_and_never_settled_is_reported_with_the_call_named()
        => Verify.VerifyAsync(
            Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    var reservation = await bill.{|#0:ReserveAsync|}("agent", 10);
                    Console.WriteLine(reservation.HeldUnits);
                }
            }
            """,
            new DiagnosticResult(DiagnosticIds.UnsettledReservation, DiagnosticSeverity.Warning).WithLocation(0).WithArguments("ReserveAsync"));

    [Fact]
    public Task A_discarded_reservation_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    await bill.{|AGB0002:ReserveAsync|}(new PreflightRequest("agent"));
                    _ = await bill.{|AGB0002:ReserveAsync|}("agent");
                }
            }
            """);

    [Fact]
    public Task A_reservation_only_topped_up_and_extended_is_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    var reservation = await bill.{|AGB0002:ReserveAsync|}("agent");
                    await reservation.TopUpAsync(5);
                    await reservation.ExtendAsync();
                }
            }
            """);

    [Fact]
    public Task A_reservation_in_await_using_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill)
                {
                    await using var reservation = await bill.ReserveAsync("agent");
                    await using (var other = await bill.ReserveAsync("other"))
                    {
                    }
                }
            }
            """);

    [Theory]
    [InlineData("await reservation.CommitAsync(7);")]
    [InlineData("await reservation.CommitEstimateAsync();")]
    [InlineData("await reservation.ReleaseAsync();")]
    [InlineData("await reservation.DisposeAsync();")]
    public Task A_reservation_settled_in_the_method_is_not_reported(string settle)
        => Verify.VerifyAsync(Usings.All + $$"""
            class Agent
            {
                async Task RunAsync(IAgentBill bill, Func<Task> work)
                {
                    var reservation = await bill.ReserveAsync("agent");
                    try
                    {
                        await work();
                    }
                    finally
                    {
                        {{settle}}
                    }
                }
            }
            """);

    [Fact]
    public Task A_reservation_settled_inside_a_lambda_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task<Func<Task>> StartAsync(IAgentBill bill)
                {
                    var reservation = await bill.ReserveAsync("agent");
                    return async () => await reservation.CommitAsync(3);
                }
            }
            """);

    [Fact]
    public Task A_reservation_handed_on_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                private Reservation? _current;

                async Task<Reservation> StartAsync(IAgentBill bill) => await bill.ReserveAsync("agent");

                async Task KeepAsync(IAgentBill bill) => _current = await bill.ReserveAsync("agent");

                async Task PassAsync(IAgentBill bill)
                {
                    var reservation = await bill.ReserveAsync("agent");
                    Track(reservation);
                }

                static void Track(Reservation reservation) { }
            }
            """);

    [Fact]
    public Task A_reservation_committed_directly_on_the_awaited_call_is_not_reported()
        => Verify.VerifyAsync(Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill) => await (await bill.ReserveAsync("agent")).CommitAsync(1);
            }
            """);

    [Fact]
    public Task The_fix_turns_the_declaration_into_await_using()
        => Fix.VerifyAsync(
            Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill, Func<Task> work)
                {
                    // Hold before the run.
                    var reservation = await bill.{|AGB0002:ReserveAsync|}("agent", 10);
                    await work();
                }
            }
            """,
            Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill, Func<Task> work)
                {
                    // Hold before the run.
                    await using var reservation = await bill.ReserveAsync("agent", 10);
                    await work();
                }
            }
            """,
            AwaitUsingReservationCodeFixProvider.EquivalenceKey);

    [Fact]
    public Task No_fix_is_offered_for_a_discarded_reservation()
    {
        var source = Usings.All + """
            class Agent
            {
                async Task RunAsync(IAgentBill bill) => await bill.{|AGB0002:ReserveAsync|}("agent");
            }
            """;
        return new Fix(source, source).RunAsync(TestContext.Current.CancellationToken);
    }
}
