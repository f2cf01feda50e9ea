using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Streaming;

/// <summary>
/// Issue 21: a stream made inside a customer's scope and read after the scope ended (an endpoint returning
/// <see cref="IAsyncEnumerable{T}"/>) is charged to that customer in the recommended pipeline, or refused loudly;
/// never to the default customer silently.
/// </summary>
public sealed class LazyStreamCustomerTests
{
    // Every round-trip reports 100 input and 20 output tokens: 120 tokens on the token meter.
    private const long RoundTrip = 120;

    [Fact]
    public async Task A_stream_made_in_a_scope_and_read_after_it_ended_is_charged_to_the_scopes_customer()
    {
        await using var bill = TestBills.Create();
        var model = Answering();
        using var chat = new ChatClientBuilder(model)
            .UseAgentBillContext()
            .UseFunctionInvocation()
            .UseAgentBill(bill, Tokens)
            .Build();

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            stream = chat.GetStreamingResponseAsync("Hello");
        }

        var response = await stream.ToChatResponseAsync();

        Assert.Equal("Done.", response.Text);
        Assert.Equal(RoundTrip, await bill.UsedAsync("acme", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
    }

    [Fact]
    public async Task A_stream_read_on_another_thread_without_the_execution_context_inside_another_scope_is_charged_to_the_scope_it_was_made_in()
    {
        await using var bill = TestBills.Create();
        using var chat = new ChatClientBuilder(Answering()).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            stream = chat.GetStreamingResponseAsync("Hello");
        }

        Task<ChatResponse> reading;
        using (ExecutionContext.SuppressFlow())
        {
            reading = Task.Run(async () =>
            {
                await Task.Yield();
                using (AgentBillContext.Begin(customerId: "mallory"))
                {
                    return await stream.ToChatResponseAsync();
                }
            });
        }

        await reading;

        Assert.Equal(RoundTrip, await bill.UsedAsync("acme", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("mallory", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
    }

    [Fact]
    public async Task Every_round_trip_of_a_streamed_tool_loop_read_after_its_scope_ended_is_charged_to_the_scopes_customer()
    {
        await using var bill = TestBills.Create();
        string? toolSaw = null;
        var tool = AIFunctionFactory.Create(() => toolSaw = AgentBillContext.Current?.CustomerId ?? "(none)", "whoami");
        var model = ToolThenAnswer();
        using var chat = new ChatClientBuilder(model).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            stream = chat.GetStreamingResponseAsync("Who am I?", new ChatOptions { Tools = [tool] });
        }

        var response = await stream.ToChatResponseAsync();

        Assert.Equal(2, model.Calls);
        Assert.Equal("acme", toolSaw);
        Assert.Equal(2 * RoundTrip, await bill.UsedAsync("acme", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
        Assert.Equal(0, await bill.ReservedAsync("acme", UsageMeter.Tokens));
    }

    [Fact]
    public async Task A_response_through_the_capture_is_charged_to_the_scopes_customer()
    {
        await using var bill = TestBills.Create();
        var model = ToolThenAnswer();
        using var chat = new ChatClientBuilder(model).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();
        var tool = AIFunctionFactory.Create(() => "acme", "whoami");

        ChatResponse response;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            response = await chat.GetResponseAsync("Who am I?", new ChatOptions { Tools = [tool] });
        }

        Assert.Equal("Done.", response.Text);
        Assert.Equal(2 * RoundTrip, await bill.UsedAsync("acme", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
    }

    [Fact]
    public async Task Without_the_capture_and_with_RequireCustomer_a_stream_read_after_its_scope_ended_is_refused_loudly_and_holds_nothing()
    {
        await using var bill = TestBills.Create(configure: o => o.RequireCustomer = true);
        var model = Answering();
        using var chat = new ChatClientBuilder(model)
            .UseFunctionInvocation()
            .UseAgentBill(bill, o =>
            {
                Tokens(o);
                o.RefusalMode = AgentBillRefusalMode.ReturnResponse;
            })
            .Build();

        IAsyncEnumerable<ChatResponseUpdate> stream;
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            stream = chat.GetStreamingResponseAsync("Hello");
        }

        await Assert.ThrowsAsync<CustomerRequiredException>(() => stream.ToChatResponseAsync());

        Assert.Equal(0, model.Calls);
        Assert.Empty(await bill.GetOpenHoldsAsync("default"));
        Assert.Equal(0, await bill.ReservedAsync("default", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("acme", UsageMeter.Tokens));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_RequireCustomer_a_call_naming_no_customer_throws_before_the_provider_and_holds_nothing(bool streaming)
    {
        await using var bill = TestBills.Create(configure: o => o.RequireCustomer = true);
        var model = Answering();
        using var chat = new ChatClientBuilder(model).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();

        await Assert.ThrowsAsync<CustomerRequiredException>(() => chat.AskAsync("Hello", new ChatOptions(), streaming));

        Assert.Equal(0, model.Calls);
        Assert.Empty(await bill.GetOpenHoldsAsync("default"));
        Assert.Equal(0, await bill.ReservedAsync("default", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("default", UsageMeter.Tokens));
    }

    [Fact]
    public async Task With_RequireCustomer_a_customer_chosen_by_the_gates_selector_is_enough()
    {
        await using var bill = TestBills.Create(configure: o => o.RequireCustomer = true);
        using var chat = new ChatClientBuilder(Answering())
            .UseAgentBillWithFunctionInvocation(bill, o =>
            {
                Tokens(o);
                o.CustomerIdSelector = (_, _) => "selected";
            })
            .Build();

        await chat.GetStreamingResponseAsync("Hello").ToChatResponseAsync();

        Assert.Equal(RoundTrip, await bill.UsedAsync("selected", UsageMeter.Tokens));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Without_RequireCustomer_a_call_naming_no_customer_is_still_charged_to_the_default_customer(bool streaming)
    {
        await using var bill = TestBills.Create();
        using var chat = new ChatClientBuilder(Answering()).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();

        await chat.AskAsync("Hello", new ChatOptions(), streaming);

        Assert.Equal(RoundTrip, await bill.UsedAsync("default", UsageMeter.Tokens));
    }

    [Fact]
    public async Task A_stream_made_outside_every_scope_does_not_pick_up_the_scope_it_is_read_in()
    {
        await using var bill = TestBills.Create();
        using var chat = new ChatClientBuilder(Answering()).UseAgentBillWithFunctionInvocation(bill, Tokens).Build();

        var stream = chat.GetStreamingResponseAsync("Hello");
        using (AgentBillContext.Begin(customerId: "mallory"))
        {
            await stream.ToChatResponseAsync();
        }

        Assert.Equal(RoundTrip, await bill.UsedAsync("default", UsageMeter.Tokens));
        Assert.Equal(0, await bill.UsedAsync("mallory", UsageMeter.Tokens));
    }

    private static void Tokens(AgentBillChatClientOptions options) => options.Meter = UsageMeter.Tokens;

    private static UsageDetails Usage() => new() { InputTokenCount = 100, OutputTokenCount = 20 };

    /// <summary>A model that answers at once.</summary>
    private static ScriptedChatClient Answering() => ScriptedChatClient.Answering("Done.", Usage());

    /// <summary>A model that first asks for the <c>whoami</c> tool, then answers once it has the tool's result.</summary>
    private static ScriptedChatClient ToolThenAnswer()
    {
        static bool HasResult(IReadOnlyList<ChatMessage> messages) => messages.Any(m => m.Contents.OfType<FunctionResultContent>().Any());

        static ChatMessage Reply(IReadOnlyList<ChatMessage> messages) => HasResult(messages)
            ? new ChatMessage(ChatRole.Assistant, "Done.")
            : new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "whoami")]);

        return new ScriptedChatClient(
            (messages, _) => new ChatResponse(Reply(messages)) { Usage = Usage() },
            (messages, _, ct) => ScriptedChatClient.Stream(
                [
                    new ChatResponseUpdate(ChatRole.Assistant, Reply(messages).Contents) { FinishReason = HasResult(messages) ? ChatFinishReason.Stop : ChatFinishReason.ToolCalls },
                    new ChatResponseUpdate { Contents = [new UsageContent(Usage())] },
                ],
                ct));
    }
}
