using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests.Tools;

public sealed class ToolCostTests
{
    [Fact]
    public async Task A_tool_cost_from_the_options_is_charged_with_the_round_trips()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill, o =>
        {
            o.CustomerIdSelector = (_, _, _) => "acme";
            o.ToolCosts["search"] = 40;
            o.ToolCostMeter = UsageMeter.Tokens;
        });

        var response = await agent.RunAsync("Research it.");

        Assert.Equal((3 * Agents.RoundTrip) + (2 * 40), await bill.UsedAsync("acme"));
        Assert.Equal((3 * Agents.RoundTrip) + (2 * 40), AgentRunUsage.From(response.AdditionalProperties)!.Tokens);
    }

    [Fact]
    public async Task A_tool_the_budget_cannot_pay_for_is_not_run_and_ends_the_run()
    {
        // 700: round-trip 150, tool 100, round-trip 150, tool 100, round-trip 150 = 650; the third tool's 100 do not fit.
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var model = new ToolCallingModel(toolRounds: 10);
        var searches = new Counter();
        var agent = Agents.Ungated(model, bill, TokenCosts, Priced(searches));

        var ex = await Assert.ThrowsAsync<AgentRunRefusedException>(() => agent.RunAsync("Research it."));

        Assert.Equal(3, model.Calls);
        Assert.Equal(2, searches.Count);
        Assert.Equal(650, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
        Assert.Equal(RefusalReason.BudgetExhausted, ex.Reason);
        Assert.Equal(100, ex.Refusal.EstimatedUnits);
    }

    [Fact]
    public async Task In_answer_mode_a_tool_refusal_keeps_what_the_run_produced_and_says_why_it_stopped()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var searches = new Counter();
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 10), bill, o =>
        {
            TokenCosts(o);
            o.RefusalMode = AgentBillRefusalMode.ReturnResponse;
        }, Priced(searches));

        var response = await agent.RunAsync("Research it.");

        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, response.FinishReason);
        Assert.Equal(3, response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count());
        Assert.StartsWith("This request was not sent to the model: the budget cannot pay for it.", response.Messages[^1].Text, StringComparison.Ordinal);
        Assert.Equal(650, AgentRunUsage.From(response.AdditionalProperties)!.Tokens);
        Assert.Equal(2, searches.Count);
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_tool_that_throws_releases_its_cost()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var failing = AIFunctionFactory.Create(Failing, "search");
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 1), bill, TokenCosts, failing);

        await agent.RunAsync("Research it.");

        // The model saw the tool's error and answered; the tool's cost was never charged.
        Assert.Equal(2 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_tool_cost_that_cannot_be_recorded_keeps_the_tools_result_and_is_counted_on_the_run()
    {
        var ledger = new ToolChargesFailLedger(toolCost: 100);
        await using var bill = new AgentBillClient(ledger, new AgentBillOptions { RecordAttempts = 1 });
        var searches = new Counter();
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill, TokenCosts, Priced(searches));

        var response = await agent.RunAsync("Research it.");

        var usage = AgentRunUsage.From(response.AdditionalProperties)!;
        Assert.Equal(2, searches.Count);
        Assert.Equal(2, usage.RecordFailures);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.Exception is not null);
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
    }

    /// <summary>Tool costs on the meter of the customer's budget, so a tool competes with the round-trips.</summary>
    private static void TokenCosts(AgentBillAgentOptions options)
    {
        options.CustomerIdSelector = (_, _, _) => "acme";
        options.ToolCostMeter = UsageMeter.Tokens;
    }

    private static AIFunction Priced(Counter searches) => AIFunctionFactory.Create(
        [ToolCost(100)]
        () =>
        {
            searches.Increment();
            return "found it";
        },
        "search");

    [ToolCost(100)]
    private static string Failing() => throw new InvalidOperationException("The search service is down.");

    /// <summary>A store that cannot be reached when a tool's cost is charged; everything else lands.</summary>
    private sealed class ToolChargesFailLedger(long toolCost) : AgentBill.Ledger.IBudgetLedger
    {
        private readonly AgentBill.InMemory.InMemoryBudgetLedger _inner = new();

        public ValueTask<AgentBill.Ledger.ChargeOutcome> ChargeAsync(AgentBill.Ledger.ChargeCommand command, CancellationToken cancellationToken)
            => command.Units == toolCost
                ? ValueTask.FromException<AgentBill.Ledger.ChargeOutcome>(new AgentBillUnavailableException("The store is down."))
                : _inner.ChargeAsync(command, cancellationToken);

        public ValueTask<AgentBill.Ledger.ReserveOutcome> ReserveAsync(AgentBill.Ledger.ReserveCommand command, CancellationToken cancellationToken) => _inner.ReserveAsync(command, cancellationToken);

        public ValueTask<AgentBill.Ledger.ReserveOutcome> TopUpAsync(AgentBill.Ledger.TopUpCommand command, CancellationToken cancellationToken) => _inner.TopUpAsync(command, cancellationToken);

        public ValueTask<bool> ExtendAsync(AgentBill.Ledger.ExtendCommand command, CancellationToken cancellationToken) => _inner.ExtendAsync(command, cancellationToken);

        public ValueTask<bool> ReleaseAsync(AgentBill.Ledger.ReleaseCommand command, CancellationToken cancellationToken) => _inner.ReleaseAsync(command, cancellationToken);

        public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken) => _inner.SetBudgetAsync(budget, cancellationToken);

        public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => _inner.GetBudgetAsync(key, cancellationToken);

        public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken) => _inner.RemoveBudgetAsync(key, cancellationToken);

        public ValueTask<AgentBill.Ledger.LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken) => _inner.GetUsageAsync(key, periodKey, now, cancellationToken);

        public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken) => _inner.ResetUsageAsync(key, periodKey, cancellationToken);

        public ValueTask<IReadOnlyList<AgentBill.Ledger.OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken) => _inner.GetOpenHoldsAsync(customerId, now, cancellationToken);
    }
}
