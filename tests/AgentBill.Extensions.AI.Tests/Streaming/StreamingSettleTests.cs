using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Extensions.AI.Tests.Streaming;

public sealed class StreamingSettleTests
{
    // "Hello, world!" with 100 output tokens on gpt-4o-mini: 11 × $0.15/M + 100 × $0.60/M = 61.65, rounded up.
    private const long Estimate = 62;

    [Fact]
    public async Task A_completed_stream_settles_from_its_final_usage_update()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream(
            [
                new ChatResponseUpdate(ChatRole.Assistant, "Hel"),
                new ChatResponseUpdate(ChatRole.Assistant, "lo"),
                new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 })] },
            ],
            ct));
        using var gate = Gates.Chat(inner, bill);

        var updates = await ToListAsync(gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)));
        var response = updates.ToChatResponse();

        // 100 × $0.15/M + 20 × $0.60/M = 15 + 12.
        Assert.Equal("Hello", response.Text);
        Assert.Equal(27, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
        Assert.Equal(4, updates.Count);
        Assert.Empty(updates[^1].Contents);
        Assert.Equal(27L, response.AdditionalProperties![AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(false, response.AdditionalProperties[AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task A_finished_stream_without_usage_charges_the_estimate_and_flags_it()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var meters = Gates.MeterFactory();
        using var estimated = new MetricCollector<long>(meters, AgentBillDiagnostics.Name, "agentbill.model_calls.usage_estimated");
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream([new ChatResponseUpdate(ChatRole.Assistant, "Hi") { FinishReason = ChatFinishReason.Stop }], ct));
        using var gate = Gates.Chat(inner, bill, meterFactory: meters);

        var response = await gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).ToChatResponseAsync();

        Assert.Equal(Estimate, await bill.UsedAsync("alice"));
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal(1, estimated.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task A_stream_disposed_early_is_charged_its_prompt_and_the_output_received_and_disposes_the_providers_stream()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var providerDisposed = false;
        async IAsyncEnumerable<ChatResponseUpdate> Endless([EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                for (var i = 0; ; i++)
                {
                    await Task.Yield();
                    yield return new ChatResponseUpdate(ChatRole.Assistant, $"word{i} ");
                }
            }
            finally
            {
                providerDisposed = true;
            }
        }

        var inner = new ScriptedChatClient(stream: (_, _, ct) => Endless(ct));
        using var gate = Gates.Chat(inner, bill);

        await foreach (var update in gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)))
        {
            if (update.Text == "word2 ")
            {
                break;
            }
        }

        // 11 prompt tokens × $0.15/M + 7 received ("word0 word1 word2 ") × $0.60/M = 1.65 + 4.2, rounded up; not the hold of 62.
        Assert.True(providerDisposed);
        Assert.Equal(6, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_that_just_stops_without_a_finish_reason_or_usage_is_charged_as_cut_off()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream([new ChatResponseUpdate(ChatRole.Assistant, "Hi")], ct));
        using var gate = Gates.Chat(inner, bill);

        var response = await gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).ToChatResponseAsync();

        // A proxy closing the connection between chunks ends a stream as cleanly as the model: 1.65 + 1 token × $0.60/M.
        Assert.Equal(3, await bill.UsedAsync("alice"));
        Assert.Equal(ModelUsageIssue.Interrupted, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Fact]
    public async Task A_stream_disposed_after_its_usage_arrived_settles_the_usage()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream(
            [
                new ChatResponseUpdate { Contents = [new TextContent("Hi"), new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20 })] },
                new ChatResponseUpdate(ChatRole.Assistant, "never read"),
            ],
            ct));
        using var gate = Gates.Chat(inner, bill);

        await using (var updates = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).GetAsyncEnumerator())
        {
            Assert.True(await updates.MoveNextAsync());
        }

        Assert.Equal(27, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_that_fails_before_producing_anything_releases_its_hold()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        async IAsyncEnumerable<ChatResponseUpdate> Failing([EnumeratorCancellation] CancellationToken ct = default)
        {
            await Task.Yield();
            throw new HttpRequestException("The provider is down.");
#pragma warning disable CS0162 // An iterator needs a yield to be one.
            yield break;
#pragma warning restore CS0162
        }

        using var gate = Gates.Chat(new ScriptedChatClient(stream: (_, _, ct) => Failing(ct)), bill);

        await Assert.ThrowsAsync<HttpRequestException>(() => ToListAsync(gate.GetStreamingResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 100))));

        Assert.Equal(0, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_stream_that_fails_midway_is_charged_its_prompt_and_the_output_received()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        using var gate = Gates.Chat(ScriptedChatClient.FailingAfter(new ChatResponseUpdate(ChatRole.Assistant, "Half an "), new HttpRequestException("The connection dropped.")), bill);

        await Assert.ThrowsAsync<HttpRequestException>(() => ToListAsync(gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100))));

        // 11 prompt tokens × $0.15/M + 3 received ("Half an ") × $0.60/M = 1.65 + 1.8, rounded up.
        Assert.Equal(4, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
    }

    [Fact]
    public async Task A_refused_stream_throws_on_the_first_read_without_calling_the_model()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream([new ChatResponseUpdate(ChatRole.Assistant, "never")], ct));
        using var gate = Gates.Chat(inner, bill);

        var stream = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100));

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => ToListAsync(stream));
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task A_refused_stream_in_response_mode_is_one_refusal_update()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10);
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream([new ChatResponseUpdate(ChatRole.Assistant, "never")], ct));
        using var gate = Gates.Chat(inner, bill, o => o.RefusalMode = AgentBillRefusalMode.ReturnResponse);

        var updates = await ToListAsync(gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)));

        var refusal = Assert.Single(updates);
        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, refusal.FinishReason);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task A_long_stream_keeps_its_hold_alive_past_the_original_expiry()
    {
        var time = new FakeTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000, time: time);
        var channel = Channel.CreateUnbounded<ChatResponseUpdate>();
        var inner = new ScriptedChatClient(stream: (_, _, ct) => channel.Reader.ReadAllAsync(ct));
        using var gate = Gates.Chat(inner, bill, Gates.OnClock(time, TimeSpan.FromSeconds(60)));
        await using var updates = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).GetAsyncEnumerator();

        channel.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, "first"));
        Assert.True(await updates.MoveNextAsync());
        time.Advance(TimeSpan.FromSeconds(40));
        channel.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, "second") { FinishReason = ChatFinishReason.Stop });
        Assert.True(await updates.MoveNextAsync());
        time.Advance(TimeSpan.FromSeconds(40));

        // 80 s in: the first expiry (60 s) has passed, the hold extended at 40 s lives until 100 s.
        var hold = Assert.Single(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(TestBills.Start.AddSeconds(100), hold.ExpiresAt);
        Assert.Equal(Estimate, hold.Units);

        channel.Writer.Complete();
        Assert.True(await updates.MoveNextAsync());
        Assert.False(await updates.MoveNextAsync());
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(Estimate, await bill.UsedAsync("alice"));
    }

    private static async Task<List<ChatResponseUpdate>> ToListAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
