using Verifier = AgentBill.Analyzers.Tests.Verify<AgentBill.Analyzers.ReservationUsageAnalyzer>;

namespace AgentBill.Analyzers.Tests;

/// <summary>AGB0002 (a reservation never settled) and AGB0003 (a preflight's answer ignored).</summary>
public sealed class ReservationUsageTests
{
    [Theory]
    [InlineData("var {|AGB0002:reservation = await bill.ReserveAsync(\"agent\", 5)|}; await Work();")]
    [InlineData("await {|AGB0002:bill.ReserveAsync(\"agent\", 5)|}; await Work();")]
    [InlineData("await {|AGB0003:bill.PreflightAsync(\"agent\", 5)|}; await Work();")]
    [InlineData("_ = await {|AGB0003:bill.PreflightAsync(\"agent\", 5)|}; await Work();")]
    public async Task A_hold_or_answer_that_is_thrown_away_is_a_warning(string body)
        => await Verifier.AnalyzerAsync(Method(body));

    [Theory]
    [InlineData("await using var reservation = await bill.ReserveAsync(\"agent\", 5); await Work();")]
    [InlineData("var reservation = await bill.ReserveAsync(\"agent\", 5); await Work(); await reservation.CommitAsync(3);")]
    [InlineData("var reservation = await bill.ReserveAsync(\"agent\", 5); try { await Work(); } finally { await reservation.DisposeAsync(); }")]
    [InlineData("var reservation = await bill.ReserveAsync(\"agent\", 5); Keep(reservation);")]
    [InlineData("var check = await bill.PreflightAsync(\"agent\", 5); if (!check.Approved) return; await Work();")]
    [InlineData("(await bill.PreflightAsync(\"agent\", 5)).EnsureApproved(); await Work();")]
    public async Task A_hold_that_is_settled_or_handed_on_and_a_checked_answer_raise_nothing(string body)
        => await Verifier.AnalyzerAsync(Method(body));

    private static string Method(string body) => $$"""
        using System.Threading.Tasks;
        using AgentBill;

        public sealed class Runner
        {
            public async Task RunAsync(IAgentBill bill)
            {
                {{body}}
            }

            private static Task Work() => Task.CompletedTask;

            private static void Keep(Reservation reservation) { }
        }
        """;
}
