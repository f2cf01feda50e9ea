using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;

namespace AgentBill.Agents.AI.Tests.Runs;

public sealed class RunBudgetTests
{
    [Fact]
    public async Task A_run_the_budget_cannot_start_is_refused_before_the_first_model_call()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 100);
        var model = new ToolCallingModel(toolRounds: 3);
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var ex = await Assert.ThrowsAsync<AgentRunRefusedException>(() => agent.RunAsync("Research it."));

        Assert.Equal(0, model.Calls);
        Assert.Equal(RefusalReason.BudgetExhausted, ex.Reason);
        Assert.Equal(0, ex.Usage.ModelCalls);
        Assert.Equal(1, ex.Usage.Refusals);
        Assert.Equal(0, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_run_is_stopped_mid_tool_loop_and_the_ledger_holds_the_round_trips_it_made()
    {
        // 700 tokens hold four round-trips of 150 (600); the fifth's 150 do not fit in the 100 left.
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var model = new ToolCallingModel(toolRounds: 10);
        var searches = new Counter();
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme", Agents.Search(searches));

        var ex = await Assert.ThrowsAsync<AgentRunRefusedException>(() => agent.RunAsync("Research it."));

        Assert.Equal(4, model.Calls);
        Assert.Equal(4, searches.Count);
        Assert.Equal(4 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
        Assert.Equal(4, ex.Usage.ModelCalls);
        Assert.Equal(4 * ToolCallingModel.InputTokens, ex.Usage.InputTokens);
        Assert.Equal(4 * ToolCallingModel.OutputTokens, ex.Usage.OutputTokens);
        Assert.Equal(4 * Agents.RoundTrip, ex.Usage.Tokens);
        Assert.Equal(100, ex.Refusal.RemainingUnits);
    }

    [Fact]
    public async Task A_run_that_fits_completes_and_reports_its_usage_on_the_response()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var model = new ToolCallingModel(toolRounds: 2);
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var response = await agent.RunAsync("Research it.");

        Assert.Equal("Done.", response.Text);
        var usage = AgentRunUsage.From(response.AdditionalProperties)!;
        Assert.Equal(3, usage.ModelCalls);
        Assert.Equal(3 * Agents.RoundTrip, usage.Tokens);
        Assert.Equal(0, usage.Refusals);
        Assert.Equal("acme", usage.CustomerId);
        Assert.Equal("researcher", usage.AgentId);
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(3 * Agents.RoundTrip, await bill.TaskUsedAsync("acme", usage.TaskRef));
    }

    // Round-trips of 150: the tighter of the run's ceiling and the customer's budget decides when the run stops.
    [Theory]
    [InlineData(10_000, 500, 3, RefusalReason.RunCeilingExceeded)]   // 500 hold three (450); the ceiling refuses the fourth
    [InlineData(400, 5_000, 2, RefusalReason.BudgetExhausted)]       // 400 hold two (300); the budget refuses the third
    public async Task The_tightest_of_the_run_ceiling_and_the_customer_budget_stops_the_run(long budget, long ceiling, int roundTrips, RefusalReason reason)
    {
        await using var bill = await Bills.WithBudgetAsync("acme", budget);
        var model = new ToolCallingModel(toolRounds: 10);
        var agent = Agents.Ungated(model, bill, o =>
        {
            o.CustomerIdSelector = (_, _, _) => "acme";
            o.RunCeiling = new SpendingCeiling(UsageMeter.Tokens, ceiling);
        });

        var ex = await Assert.ThrowsAsync<AgentRunRefusedException>(() => agent.RunAsync("Research it."));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal(roundTrips, model.Calls);
        Assert.Equal(roundTrips * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task In_answer_mode_a_stopped_run_answers_with_the_refusal_and_its_usage()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var model = new ToolCallingModel(toolRounds: 10);
        var agent = Agents.Ungated(model, bill, o =>
        {
            o.CustomerIdSelector = (_, _, _) => "acme";
            o.RefusalMode = AgentBillRefusalMode.ReturnResponse;
        });

        var response = await agent.RunAsync("Research it.");

        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, response.FinishReason);
        Assert.StartsWith("This request was not sent to the model: the budget cannot pay for it.", response.Messages[^1].Text, StringComparison.Ordinal);
        var refusal = Assert.IsType<PreflightResult>(response.AdditionalProperties![AgentBillPropertyNames.Refusal]);
        Assert.Equal(RefusalReason.BudgetExhausted, refusal.Reason);
        var usage = AgentRunUsage.From(response.AdditionalProperties)!;
        Assert.Equal(4, usage.ModelCalls);
        Assert.Equal(1, usage.Refusals);
        Assert.Equal(4 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }
}
