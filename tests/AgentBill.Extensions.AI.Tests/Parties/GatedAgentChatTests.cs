using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Parties;

/// <summary>
/// One ambient context: a model call made inside a <c>[Gate]</c> method, a chat scope or both is charged to the
/// customer and task the code around it names, exactly once.
/// </summary>
public sealed class GatedAgentChatTests
{
    // gpt-4o-mini: 10 input tokens ($0.15/M) and 10 output tokens ($0.60/M) cost 1.5 + 6 = 7.5, charged as 8 micro-USD.
    private const long CallCost = 8;

    [Fact]
    public async Task A_model_call_inside_a_gated_method_is_charged_to_the_gate_customer()
    {
        await using var bill = TestBills.Create();
        var agents = new GatedAgents(bill, Chat(bill, ScriptedChatClient.Replying("ok", 10, 10)));

        await agents.ResearchAsync("alice", "preflight billing");

        Assert.Equal(CallCost, await bill.UsedAsync("alice"));
        Assert.Equal(3, await bill.UsedAsync("alice", UsageMeter.Units));
        Assert.Equal(CallCost, (await bill.GetUsageAsync(BudgetScope.Agent("alice", "researcher"), UsageMeter.MicroUsd)).Used);
        Assert.Equal(0, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task A_stream_made_in_a_scope_and_read_after_it_ended_is_charged_to_the_scope_customer()
    {
        await using var bill = TestBills.Create();
        var inner = new ScriptedChatClient(stream: (_, _, ct) => Updates(ct));
        var chat = Chat(bill, inner);

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (AgentBillContext.Begin(customerId: "carol"))
        {
            stream = chat.GetStreamingResponseAsync("Hi");
        }

        var text = string.Concat(await ReadAllAsync(stream));
        Assert.Equal("Hello", text);
        Assert.Equal(CallCost, await bill.UsedAsync("carol"));
        Assert.Equal(0, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task A_gate_inside_a_scope_charges_its_own_customer_and_inherits_the_scope_task()
    {
        await using var bill = TestBills.Create();
        var agents = new GatedAgents(bill, Chat(bill, ScriptedChatClient.Replying("ok", 10, 10)));

        using (AgentBillContext.Begin(customerId: "outer", taskRef: "ticket-9"))
        {
            await agents.ResearchAsync("alice", "topic");
            await agents.AskForWhoeverAsync("topic");
        }

        Assert.Equal(CallCost, await bill.UsedAsync("alice"));
        Assert.Equal(CallCost, (await bill.GetUsageAsync(BudgetScope.Task("alice", "ticket-9"), UsageMeter.MicroUsd)).Used);
        Assert.Equal(CallCost, await bill.UsedAsync("outer"));
        Assert.Equal(1, await bill.UsedAsync("outer", UsageMeter.Units));
    }

    [Fact]
    public async Task Concurrent_gated_calls_for_different_customers_each_charge_their_own()
    {
        await using var bill = TestBills.Create();
        var agents = new GatedAgents(bill, Chat(bill, ScriptedChatClient.Replying("ok", 10, 10)));
        var customers = Enumerable.Range(0, 24).Select(i => $"tenant-{i}").ToArray();

        await Task.WhenAll(customers.SelectMany(customer => Enumerable.Range(0, 4).Select(_ => Task.Run(() => agents.ResearchOffThreadAsync(customer, "q")))));

        foreach (var customer in customers)
        {
            Assert.Equal(4 * CallCost, await bill.UsedAsync(customer));
        }

        Assert.Equal(0, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task A_gate_with_a_task_makes_the_model_calls_inside_it_count_against_that_task()
    {
        await using var bill = TestBills.Create();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Task("acme", "report-7"), UsageMeter.MicroUsd, 3 * CallCost, BudgetPeriod.Lifetime));
        var inner = ScriptedChatClient.Replying("ok", 10, 10);
        var agents = new GatedAgents(bill, Chat(bill, inner, o => o.DefaultMaxOutputTokens = 10));

        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => agents.ReportAsync("acme", 5));

        Assert.Equal(RefusalReason.TaskCeilingExceeded, ex.Reason);
        Assert.Equal(3, inner.Calls);
        Assert.Equal(3 * CallCost, (await bill.GetUsageAsync(BudgetScope.Task("acme", "report-7"), UsageMeter.MicroUsd)).Used);
        Assert.Equal(0, await bill.UsedAsync("acme", UsageMeter.Units));
    }

    [Fact]
    public async Task A_money_gate_around_model_calls_charges_their_cost_once_not_its_estimate_on_top()
    {
        await using var bill = TestBills.Create();
        var agents = new GatedAgents(bill, Chat(bill, ScriptedChatClient.Replying("ok", 10, 10)));

        await agents.SpendAsync("alice", "topic");

        Assert.Equal(CallCost, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
    }

    [Fact]
    public async Task Two_gates_of_one_meter_in_one_pipeline_hold_and_charge_a_round_trip_once()
    {
        await using var recording = TestBills.Create();
        var bill = new RecordingBill(recording);
        var inner = ScriptedChatClient.Replying("ok", 10, 10);
        using var chat = new ChatClientBuilder(inner).UseAgentBill(bill).UseAgentBill(bill).Build();

        var response = await chat.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Single(bill.Preflights);
        Assert.Equal(CallCost, await recording.UsedAsync("alice"));
        Assert.Equal(CallCost, response.AdditionalProperties![AgentBillPropertyNames.ChargedUnits]);
    }

    private static IChatClient Chat(IAgentBill bill, IChatClient inner, Action<AgentBillChatClientOptions>? configure = null)
        => Gates.Chat(inner, bill, configure);

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, "Hel");
        yield return new ChatResponseUpdate(ChatRole.Assistant, "lo");
        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 })] };
    }

    private static async Task<List<string>> ReadAllAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var texts = new List<string>();
        await foreach (var update in stream)
        {
            texts.Add(update.Text);
        }

        return texts;
    }
}
