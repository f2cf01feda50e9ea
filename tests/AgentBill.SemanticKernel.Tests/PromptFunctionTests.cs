using AgentBill.Extensions.AI;
using AgentBill.Extensions.AI.Tests;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentBill.SemanticKernel.Tests;

/// <summary>Prompt functions gated and settled with the model's real usage, exactly once, whichever chat service the kernel has.</summary>
public sealed class PromptFunctionTests
{
    private const long Cost = LocalModel.RoundTripMicroUsd;

    [Fact]
    public async Task Through_a_gated_chat_client_each_round_trip_is_held_once_and_charged_to_the_customer_the_arguments_name()
    {
        await using var client = Kernels.Bill();
        var bill = new RecordingBill(client);
        var model = new LocalModel(toolRounds: 1);
        var kernel = Kernels.GatedChatClient(model, bill, new Weather());

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal("It is sunny.", result.ToString());
        Assert.Equal(2, model.Calls);
        // Two round-trips, and the loop filter's check before the tool call, held under the round-trips' agent and
        // given back at once; the kernel holds nothing of its own.
        Assert.Equal(3, bill.HoldsOf("chat"));
        Assert.Equal(0, bill.HoldsOf("kernel"));
        Assert.Equal(2 * Cost, await client.UsedAsync("acme"));
        Assert.Equal(0, await client.UsedAsync("default"));
        Assert.Equal(0, await client.ReservedAsync("acme"));
    }

    [Fact]
    public async Task Through_a_chat_service_of_its_own_the_filter_holds_the_call_and_settles_the_usage_it_reports()
    {
        await using var client = Kernels.Bill();
        var bill = new RecordingBill(client);
        var service = new LocalChatService(new UsageDetails { InputTokenCount = LocalModel.InputTokens, OutputTokenCount = LocalModel.OutputTokens });
        var kernel = Kernels.ChatService(service, bill);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(1, service.Calls);
        Assert.Equal(1, bill.HoldsOf("kernel"));
        Assert.Equal(Cost, await client.UsedAsync("acme"));
        Assert.Equal(Cost, result.Metadata![AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(false, result.Metadata[AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task The_usage_the_OpenAI_connector_hands_back_is_read_without_its_package()
    {
        await using var bill = Kernels.Bill();
        var usage = OpenAI.Chat.OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: (int)LocalModel.OutputTokens, inputTokenCount: (int)LocalModel.InputTokens, totalTokenCount: 1_200);
        var kernel = Kernels.ChatService(new LocalChatService(usage), bill);

        await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(Cost, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_call_that_reports_no_usage_is_never_charged_zero_and_says_so()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.ChatService(new LocalChatService(usage: null), bill);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.True(await bill.UsedAsync("acme") > 0);
        Assert.Equal(true, result.Metadata![AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task A_chat_service_made_from_a_gated_chat_client_is_still_charged_once()
    {
        await using var client = Kernels.Bill();
        var bill = new RecordingBill(client);
        var model = new LocalModel();
        using var gated = new ChatClientBuilder(model).UseAgentBill(bill).Build();
        var kernel = Kernels.ChatService(gated.AsChatCompletionService(), bill);

        await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(1, model.Calls);
        Assert.Equal(1, bill.HoldsOf("kernel") + bill.HoldsOf("chat"));
        Assert.Equal(Cost, await client.UsedAsync("acme"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_call_the_budget_cannot_pay_for_is_refused_before_the_model_is_called(bool gatedChatClient)
    {
        // The hold is the prompt's few tokens and the 200 output tokens allowed: about 122 micro-USD.
        await using var bill = await Kernels.BillWithBudgetAsync("acme", 100);
        var model = new LocalModel();
        var service = new LocalChatService(new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 });
        var kernel = gatedChatClient ? Kernels.GatedChatClient(model, bill) : Kernels.ChatService(service, bill);

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme")));

        Assert.Equal(0, model.Calls + service.Calls);
        Assert.Equal(0, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task In_answer_mode_a_refused_call_answers_why_without_calling_the_model()
    {
        await using var bill = await Kernels.BillWithBudgetAsync("acme", 100);
        var service = new LocalChatService(usage: null);
        var kernel = Kernels.ChatService(service, bill, configure: o => o.RefusalMode = AgentBillRefusalMode.ReturnResponse);

        var result = await kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For("acme"));

        Assert.Equal(0, service.Calls);
        Assert.StartsWith("This request was not sent to the model", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_functions_for_different_customers_each_charge_their_own()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.GatedChatClient(new LocalModel(toolRounds: 1), bill, new Weather());
        var customers = Enumerable.Range(0, 16).Select(i => $"tenant-{i}").ToArray();

        await Task.WhenAll(customers.Select(customer => Task.Run(() => kernel.InvokePromptAsync("What is the weather in Paris?", Kernels.For(customer)))));

        foreach (var customer in customers)
        {
            Assert.Equal(2 * Cost, await bill.UsedAsync(customer));
        }

        Assert.Equal(0, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task Without_a_customer_argument_the_ambient_context_pays()
    {
        await using var bill = Kernels.Bill();
        var kernel = Kernels.GatedChatClient(new LocalModel(), bill);

        using (AgentBillContext.Begin(customerId: "globex", taskRef: "report-9"))
        {
            await kernel.InvokePromptAsync("What is the weather in Paris?", new KernelArguments());
        }

        Assert.Equal(Cost, await bill.UsedAsync("globex"));
        Assert.Equal(Cost, (await bill.GetUsageAsync(BudgetScope.Task("globex", "report-9"), UsageMeter.MicroUsd)).Used);
    }
}
