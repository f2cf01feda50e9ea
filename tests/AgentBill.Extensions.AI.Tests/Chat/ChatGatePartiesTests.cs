using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class ChatGatePartiesTests
{
    [Fact]
    public async Task The_gates_own_properties_never_reach_the_provider()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("ok", 10, 10);
        using var gate = Gates.Chat(inner, bill);
        var options = Gates.For("alice");
        options.AdditionalProperties![AgentBillPropertyNames.TaskRef] = "report-42";
        options.AdditionalProperties["provider_flag"] = "kept";

        await gate.GetResponseAsync("Hi", options);

        var sent = Assert.Single(inner.ReceivedOptions)!.AdditionalProperties!;
        Assert.Equal(["provider_flag"], sent.Keys);
        Assert.Equal(3, options.AdditionalProperties.Count);
    }

    [Fact]
    public async Task The_ambient_scope_names_the_customer_and_task()
    {
        await using var recording = await TestBills.WithBudgetAsync("acme", 10_000);
        var bill = new RecordingBill(recording);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 10, 10), bill);

        using (AgentBillContext.Begin(customerId: "acme", taskRef: "report-42"))
        {
            await gate.GetResponseAsync("Hi");
        }

        var preflight = Assert.Single(bill.Preflights);
        Assert.Equal(("chat", "acme", "report-42"), (preflight.AgentId, preflight.CustomerId, preflight.TaskRef));
        Assert.Equal(8, await recording.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_nested_scope_inherits_what_it_does_not_set_and_restores_the_outer_one()
    {
        using var outer = AgentBillContext.Begin(customerId: "acme", taskRef: "report-42");
        using (AgentBillContext.Begin(agentId: "summarizer"))
        {
            var inner = AgentBillContext.Current!;
            Assert.Equal(("acme", "report-42", "summarizer"), (inner.CustomerId, inner.TaskRef, inner.AgentId));
        }

        Assert.Same(outer, AgentBillContext.Current);
    }

    [Fact]
    public async Task The_call_property_wins_over_the_scope_and_the_scope_over_the_selector()
    {
        await using var recording = TestBills.Create();
        var bill = new RecordingBill(recording);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 10, 10), bill, o => o.CustomerIdSelector = (_, _) => "from-selector");

        await gate.GetResponseAsync("Hi");
        using (AgentBillContext.Begin(customerId: "from-scope"))
        {
            await gate.GetResponseAsync("Hi");
            await gate.GetResponseAsync("Hi", Gates.For("from-call"));
        }

        Assert.Equal(["from-selector", "from-scope", "from-call"], bill.Preflights.Select(p => p.CustomerId));
    }

    [Fact]
    public async Task The_selector_sees_the_messages_and_options_of_the_call()
    {
        await using var recording = TestBills.Create();
        var bill = new RecordingBill(recording);
        using var gate = Gates.Chat(
            ScriptedChatClient.Replying("ok", 10, 10),
            bill,
            o => o.CustomerIdSelector = (messages, options) => $"{messages[0].AuthorName}@{options?.ConversationId}");

        await gate.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi") { AuthorName = "bob" }], new ChatOptions { ConversationId = "c1" });

        Assert.Equal("bob@c1", Assert.Single(bill.Preflights).CustomerId);
    }

    [Fact]
    public async Task Without_any_customer_the_clients_default_customer_pays()
    {
        await using var bill = await TestBills.WithBudgetAsync("default", 10_000);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 10, 10), bill);

        await gate.GetResponseAsync("Hi");

        Assert.Equal(8, await bill.UsedAsync("default"));
    }

    [Fact]
    public async Task The_hold_is_the_priced_prompt_estimate_plus_the_output_limit()
    {
        await using var recording = TestBills.Create();
        var bill = new RecordingBill(recording);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 10, 10), bill);

        await gate.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You are a helpful assistant."), new ChatMessage(ChatRole.User, "What is the capital of France?")],
            new ChatOptions { MaxOutputTokens = 200 });

        // 24 prompt tokens × $0.15/M + 200 × $0.60/M = 3.6 + 120, rounded up.
        var preflight = Assert.Single(bill.Preflights);
        Assert.Equal((124L, UsageMeter.MicroUsd), (preflight.EstimatedUnits, preflight.Meter));
    }

    [Fact]
    public async Task The_tokens_hold_is_the_prompt_count_plus_the_default_output_limit()
    {
        await using var recording = TestBills.Create();
        var bill = new RecordingBill(recording);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 10, 10), bill, o =>
        {
            o.Meter = UsageMeter.Tokens;
            o.DefaultMaxOutputTokens = 1_000;
        });

        await gate.GetResponseAsync("Hello, world!");

        Assert.Equal(11 + 1_000, Assert.Single(bill.Preflights).EstimatedUnits);
    }

    [Fact]
    public async Task Applying_the_default_output_limit_sends_it_to_the_provider()
    {
        await using var bill = TestBills.Create();
        var inner = ScriptedChatClient.Replying("ok", 10, 10);
        using var gate = Gates.Chat(inner, bill, o =>
        {
            o.DefaultMaxOutputTokens = 512;
            o.ApplyDefaultMaxOutputTokens = true;
        });
        var options = new ChatOptions { Temperature = 0.5f };

        await gate.GetResponseAsync("Hi", options);

        var sent = Assert.Single(inner.ReceivedOptions)!;
        Assert.Equal((512, 0.5f), (sent.MaxOutputTokens, sent.Temperature));
        Assert.Null(options.MaxOutputTokens);
    }
}
