using AgentBill.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>An automatic tool loop ends cleanly when the budget cannot pay for another round, and tools with a cost are charged.</summary>
public sealed class ToolLoopTests
{
    private const long Cost = LocalModel.RoundTripMicroUsd;

    [Fact]
    public async Task A_tool_loop_is_terminated_when_the_budget_cannot_hold_another_round_and_the_ledger_is_the_round_trips_made()
    {
        // Room for two round-trips' holds, not three: the loop asks for a tool after the second round-trip too.
        await using var bill = await Kernels.BillWithBudgetAsync("acme", (2 * Cost) + (Cost / 2));
        var model = new LocalModel(toolRounds: 10);
        var weather = new Weather();
        var kernel = Kernels.GatedChatClient(model, bill, weather);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(2, model.Calls);
        Assert.Equal(1, weather.Calls);
        Assert.Equal(2 * Cost, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
        Assert.StartsWith("This request was not sent to the model", LastToolResult(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_with_a_cost_is_charged_each_time_it_runs()
    {
        await using var bill = Kernels.Bill();
        var search = new PaidSearch();
        var kernel = Kernels.GatedChatClient(new LocalModel(toolRounds: 2), bill, search);

        await kernel.InvokePromptAsync("Find Paris.", Kernels.For("acme"));

        Assert.Equal(2, search.Calls);
        Assert.Equal((3 * Cost) + (2 * 500), await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_tool_the_budget_cannot_pay_for_is_not_run_and_ends_the_loop_saying_why()
    {
        await using var bill = await Kernels.BillWithBudgetAsync("acme", 10_000);
        var search = new PaidSearch();
        var model = new LocalModel(toolRounds: 1);
        var kernel = Kernels.GatedChatClient(model, bill, search, o => o.ToolCosts["PaidSearch.Search"] = 1_000_000);

        var result = await kernel.InvokePromptAsync("Find Paris.", Kernels.For("acme"));

        Assert.Equal(0, search.Calls);
        Assert.Equal(1, model.Calls);
        Assert.StartsWith("This request was not sent to the model", LastToolResult(result), StringComparison.Ordinal);
        Assert.Equal(Cost, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_connectors_own_tool_loop_is_charged_every_round_trip_not_only_the_last_one_its_result_reports()
    {
        await using var bill = Kernels.Bill();
        var service = new ConnectorLoopService(toolRounds: 2);
        var weather = new Weather();
        var kernel = Kernels.ChatService(service, bill, weather);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(3, service.Calls);
        Assert.Equal(2, weather.Calls);
        Assert.Equal(3 * Cost, await bill.UsedAsync("acme"));
        Assert.Equal(false, result.Metadata![AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task A_connectors_loop_with_a_round_that_reported_no_usage_is_charged_its_hold_flagged_as_estimated()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.ChatService(new ConnectorLoopService(toolRounds: 2, usageOnEveryRound: false), bill, new Weather());

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        // The total is unknown: the call is charged as any call whose usage is missing is, and says so.
        Assert.Equal(true, result.Metadata![AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal("Missing", result.Metadata[AgentBillPropertyNames.UsageIssue]?.ToString());
        Assert.True(await bill.UsedAsync("acme") > 0);
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    /// <summary>What the last tool call of the loop answered: a terminated loop ends on it.</summary>
    private static string LastToolResult(FunctionResult result)
        => result.GetValue<Microsoft.Extensions.AI.ChatResponse>()!.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().Last().Result?.ToString() ?? string.Empty;
}
