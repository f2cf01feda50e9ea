using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Extensions.AI.Tests.KeepAlive;

/// <summary>A call slower than its hold's TTL keeps its hold, so other calls cannot spend the money it has in flight.</summary>
public sealed class HoldKeepAliveTests
{
    // "Hello, world!" with 100 output tokens on gpt-4o-mini: 62 micro-USD held.
    private const long Hold = 62;

    [Fact]
    public async Task A_call_slower_than_its_ttl_keeps_its_hold_and_concurrent_calls_are_refused()
    {
        var time = new FakeTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 100, time: time);
        var sent = new TaskCompletionSource();
        var slow = new BlockingChatClient(sent);
        using var gate = Gates.Chat(slow, bill, Gates.OnClock(time, TimeSpan.FromSeconds(1)));
        using var quick = Gates.Chat(ScriptedChatClient.Replying("ok", 11, 100), bill);

        var call = gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100));
        await sent.Task;
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        // 3 s in, three TTLs past the first expiry: the hold was extended every half second and still holds.
        var hold = Assert.Single(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal((Hold, TestBills.Start.AddSeconds(4)), (hold.Units, hold.ExpiresAt));
        await Assert.ThrowsAsync<BudgetExhaustedException>(() => quick.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)));

        slow.Answer(ScriptedChatClient.Reply("Paris.", 11, 20));
        await call;
        // 11 × $0.15/M + 20 × $0.60/M = 13.65, rounded up.
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(14, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_settled_call_stops_extending()
    {
        var time = new TimerCountingTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 100, time: time);
        using var gate = Gates.Chat(ScriptedChatClient.Replying("ok", 11, 100), bill, Gates.OnClock(time, TimeSpan.FromSeconds(1)));

        await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100));

        Assert.Equal(0, time.LiveTimers);
    }

    [Fact]
    public async Task A_stream_waiting_for_its_first_update_keeps_its_hold()
    {
        var time = new FakeTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000, time: time);
        var channel = Channel.CreateUnbounded<ChatResponseUpdate>();
        using var gate = Gates.Chat(new ScriptedChatClient(stream: (_, _, ct) => channel.Reader.ReadAllAsync(ct)), bill, Gates.OnClock(time, TimeSpan.FromSeconds(60)));
        await using var updates = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).GetAsyncEnumerator();

        var first = updates.MoveNextAsync();
        for (var i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
        }

        // A model thinking for 90 s before its first token: extended at 30, 60 and 90 s, now until 150 s.
        var hold = Assert.Single(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(TestBills.Start.AddSeconds(150), hold.ExpiresAt);

        channel.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, "Hi") { FinishReason = ChatFinishReason.Stop });
        channel.Writer.Complete();
        Assert.True(await first);
        while (await updates.MoveNextAsync())
        {
        }

        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(Hold, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_nobody_reads_stops_extending_and_its_hold_expires()
    {
        var time = new FakeTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000, time: time);
        var channel = Channel.CreateUnbounded<ChatResponseUpdate>();
        channel.Writer.TryWrite(new ChatResponseUpdate(ChatRole.Assistant, "Hi"));
        using var gate = Gates.Chat(new ScriptedChatClient(stream: (_, _, ct) => channel.Reader.ReadAllAsync(ct)), bill, Gates.OnClock(time, TimeSpan.FromSeconds(60)));
        var updates = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100)).GetAsyncEnumerator();

        Assert.True(await updates.MoveNextAsync());
        time.Advance(TimeSpan.FromSeconds(61));

        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));

        // Disposed late, it is still charged what it used: 1.65 + 1 token ("Hi") × $0.60/M, rounded up.
        await updates.DisposeAsync();
        Assert.Equal(3, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task An_embedding_call_slower_than_its_ttl_keeps_its_hold()
    {
        var time = new FakeTimeProvider(TestBills.Start);
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000, UsageMeter.Tokens, time: time);
        var sent = new TaskCompletionSource();
        using var gate = new AgentBillEmbeddingGenerator(
            new BlockingEmbeddingGenerator(sent),
            bill,
            new AgentBillEmbeddingGeneratorOptions { Meter = UsageMeter.Tokens, ReservationTtl = TimeSpan.FromSeconds(1) },
            logger: null,
            meterFactory: null,
            timeProvider: time);
        using var cancellation = new CancellationTokenSource();

        var call = gate.GenerateAsync(["Hello, world!"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice" } }, cancellation.Token);
        await sent.Task;
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
        }

        var hold = Assert.Single(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(TestBills.Start.AddSeconds(4), hold.ExpiresAt);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
