using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AgentBill.Extensions.AI.Tests.Interruptions;

/// <summary>A call that did not finish is charged what it can have cost, never zero and never the whole hold for a little output.</summary>
public sealed class InterruptedCallTests
{
    // "Hello, world!" on gpt-4o-mini: 11 prompt tokens × $0.15/M = 1.65 micro-USD.
    [Fact]
    public async Task A_stream_cancelled_midway_is_charged_its_prompt_and_the_output_received()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var meters = Gates.MeterFactory();
        using var estimated = new MetricCollector<long>(meters, AgentBillDiagnostics.Name, "agentbill.model_calls.usage_estimated");
        var inner = new ScriptedChatClient(stream: (_, _, ct) => ScriptedChatClient.Stream(
            [new ChatResponseUpdate(ChatRole.Assistant, "Half "), new ChatResponseUpdate(ChatRole.Assistant, "an "), new ChatResponseUpdate(ChatRole.Assistant, "answer")],
            ct));
        using var gate = Gates.Chat(inner, bill, meterFactory: meters);
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100), cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        // 1.65 + 2 tokens received ("Half ") × $0.60/M, rounded up; the hold was 62.
        Assert.Equal(3, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        var measurement = Assert.Single(estimated.GetMeasurementSnapshot());
        Assert.Equal("interrupted", measurement.Tags["agentbill.usage_issue"]);
    }

    [Fact]
    public async Task A_stream_cancelled_before_its_first_update_is_charged_its_prompt()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var waiting = Channel.CreateUnbounded<ChatResponseUpdate>();
        using var gate = Gates.Chat(new ScriptedChatClient(stream: (_, _, ct) => waiting.Reader.ReadAllAsync(ct)), bill);
        using var cancellation = new CancellationTokenSource();
        await using var updates = gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100), cancellation.Token).GetAsyncEnumerator();

        var first = updates.MoveNextAsync();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await first);
        Assert.Equal(2, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_stream_cut_off_is_never_charged_above_its_hold()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var inner = ScriptedChatClient.FailingAfter(new ChatResponseUpdate(ChatRole.Assistant, string.Join(' ', Enumerable.Repeat("word", 50))), ResponseEnded());
        using var gate = Gates.Chat(inner, bill);

        await Assert.ThrowsAsync<HttpIOException>(() => gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 10)).ToChatResponseAsync());

        // 50 tokens arrived past an output cap of 10 the provider ignored: the hold, 1.65 + 10 × $0.60/M, rounded up.
        Assert.Equal(8, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_cut_off_after_reporting_more_than_its_hold_is_charged_what_it_reported()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var inner = ScriptedChatClient.FailingAfter(
            new ChatResponseUpdate { Contents = [new TextContent("Paris."), new UsageContent(new UsageDetails { InputTokenCount = 180, OutputTokenCount = 300, TotalTokenCount = 480 })] },
            ResponseEnded());
        using var gate = Gates.Chat(inner, bill);

        await Assert.ThrowsAsync<HttpIOException>(() => gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 10)).ToChatResponseAsync());

        // The provider's own running count, 180 × $0.15/M + 300 × $0.60/M, is never cut to the hold of 8.
        Assert.Equal(207, await bill.UsedAsync("alice"));
    }

    private static HttpIOException ResponseEnded() => new(HttpRequestError.ResponseEnded, "The response ended prematurely.");

    [Fact]
    public async Task A_call_cancelled_after_it_was_sent_is_charged_its_hold()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000);
        var sent = new TaskCompletionSource();
        using var gate = Gates.Chat(new BlockingChatClient(sent), bill);
        using var cancellation = new CancellationTokenSource();

        var call = gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100), cancellation.Token);
        await sent.Task;
        await cancellation.CancelAsync();

        // The provider may finish the answer and bill it: the hold, 1.65 + 100 × $0.60/M, rounded up.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(62, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task An_embedding_call_cancelled_after_it_was_sent_is_charged_its_hold()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000, UsageMeter.Tokens);
        var sent = new TaskCompletionSource();
        using var gate = new AgentBillEmbeddingGenerator(new BlockingEmbeddingGenerator(sent), bill, new AgentBillEmbeddingGeneratorOptions { Meter = UsageMeter.Tokens });
        using var cancellation = new CancellationTokenSource();

        var call = gate.GenerateAsync(["Hello, world!", "こんにちは世界"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice" } }, cancellation.Token);
        await sent.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(8, await bill.UsedAsync("alice", UsageMeter.Tokens));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }
}
