using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>
/// Every charge of a kernel run lands on one customer and ends the loop cleanly, whichever way the customer is named
/// and whichever budget refuses: the round-trips a gated chat client holds, the loop filter's check, and tool costs.
/// </summary>
public sealed class WhoPaysTests
{
    private const long Cost = LocalModel.RoundTripMicroUsd;

    [Fact]
    public async Task The_kernels_customer_selector_names_who_pays_for_the_round_trips_too()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.GatedChatClient(new LocalModel(toolRounds: 1), bill, new PaidSearch(), o => o.CustomerIdSelector = (_, _) => "acme");

        await kernel.InvokePromptAsync("Find Paris.", new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Equal((2 * Cost) + 500, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task A_paid_tool_that_leaves_too_little_for_the_next_round_trip_ends_the_run_with_the_reason_not_an_exception()
    {
        // The check before the tool passes; the tool's cost then leaves half a round-trip, which the chat gate refuses.
        await using var bill = await Kernels.BillWithBudgetAsync("acme", 10_000);
        var toolCost = 10_000 - Cost - (Cost / 2);
        var search = new PaidSearch();
        var model = new LocalModel(toolRounds: 2);
        var kernel = Kernels.GatedChatClient(model, bill, search, o => o.ToolCosts["PaidSearch.Search"] = toolCost);

        var result = await kernel.InvokePromptAsync("Find Paris.", Kernels.For("acme"));

        Assert.Equal(1, model.Calls);
        Assert.Equal(1, search.Calls);
        Assert.Equal(Cost + toolCost, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
        Assert.IsType<PreflightResult>(result.Metadata![AgentBillPropertyNames.Refusal]);
    }

    [Fact]
    public async Task A_budget_on_the_round_trips_agent_is_the_one_the_loop_check_holds_against()
    {
        await using var bill = Kernels.Bill();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "chat"), UsageMeter.MicroUsd, (2 * Cost) + (Cost / 2), BudgetPeriod.Month));
        var weather = new Weather();
        var model = new LocalModel(toolRounds: 10);
        var kernel = Kernels.GatedChatClient(model, bill, weather);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(2, model.Calls);
        Assert.Equal(1, weather.Calls);
        Assert.Equal(2 * Cost, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
        Assert.NotNull(result.GetValue<ChatResponse>());
    }

    [Fact]
    public async Task A_refused_paid_tool_answered_as_a_result_still_ends_the_loop()
    {
        await using var bill = await Kernels.BillWithBudgetAsync("acme", 10_000);
        var search = new PaidSearch();
        var model = new LocalModel(toolRounds: 3);
        var kernel = Kernels.GatedChatClient(model, bill, search, o =>
        {
            o.ToolCosts["PaidSearch.Search"] = 1_000_000;
            o.RefusalMode = AgentBillRefusalMode.ReturnResponse;
        });

        await kernel.InvokePromptAsync("Find Paris.", Kernels.For("acme"));

        Assert.Equal(0, search.Calls);
        Assert.Equal(1, model.Calls);
        Assert.Equal(Cost, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_tool_with_no_method_behind_it_is_a_tool_charged_its_cost_not_a_prompt_function()
    {
        await using var bill = Kernels.Bill();
        var calls = 0;
        var lookup = AIFunctionFactory.Create(() => { calls++; return "42"; }, "Lookup").AsKernelFunction();
        var kernel = Kernels.GatedChatClient(new LocalModel(), bill, configure: o => o.ToolCosts["Lookup"] = 700);

        var answer = await kernel.InvokeAsync(lookup, Kernels.For("acme"));

        Assert.Equal("42", answer.ToString());
        Assert.Equal(1, calls);
        Assert.Equal(700, await bill.UsedAsync("acme"));
    }
}
