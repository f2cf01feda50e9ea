using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.OpenAI;

/// <summary>
/// The usage shapes OpenAI-compatible servers send (vLLM, Ollama, LM Studio, gateways), through the real OpenAI
/// client, which turns a missing count into 0: the ledger records the honest bound, and the response says so.
/// </summary>
public sealed class OpenAIClientUsageTests
{
    // "Hello, world!" to gpt-4o-mini capped at 400 output tokens: 11 × $0.15/M + 400 × $0.60/M = 241.65, rounded up.
    private const long Hold = 242;

    // What the call cost: 180 × $0.15/M + 300 × $0.60/M.
    private const long Truth = 207;

    private const string FullUsage = """{"prompt_tokens":180,"completion_tokens":300,"total_tokens":480}""";

    public static TheoryData<string?, long, ModelUsageIssue, bool> Shapes()
    {
        var shapes = new TheoryData<string?, long, ModelUsageIssue, bool>();
        foreach (var streaming in new[] { false, true })
        {
            shapes.Add(FullUsage, Truth, ModelUsageIssue.None, streaming);
            shapes.Add(null, Hold, ModelUsageIssue.Missing, streaming);
            shapes.Add("""{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}""", Hold, ModelUsageIssue.Zero, streaming);
            shapes.Add("""{"prompt_tokens":180,"total_tokens":480}""", Truth, ModelUsageIssue.Inconsistent, streaming);
            shapes.Add("""{"completion_tokens":300,"total_tokens":480}""", Truth, ModelUsageIssue.Inconsistent, streaming);
            shapes.Add("""{"prompt_tokens":180,"completion_tokens":200,"total_tokens":480}""", Truth, ModelUsageIssue.Inconsistent, streaming);
            shapes.Add("""{"prompt_tokens":180,"completion_tokens":300}""", Truth, ModelUsageIssue.None, streaming);

            // The reported prompt and the output held: 27 + 240.
            shapes.Add("""{"prompt_tokens":180}""", 267, ModelUsageIssue.Zero, streaming);
        }

        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Each_shape_of_usage_is_charged_its_honest_bound(string? usage, long charged, ModelUsageIssue issue, bool streaming)
    {
        // A stream carries the usage in its stream_options.include_usage chunk.
        await using var server = LocalOpenAIServer.Start(body => body["stream"]?.GetValue<bool>() is true
            ? ServerReply.Stream(["Par", "is."], finalUsage: usage)
            : ServerReply.Completion("Paris.", usage));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        AssertCharged(response.AdditionalProperties, charged, issue);
        Assert.Equal("Paris.", response.Text);
        Assert.Equal(charged, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Running_totals_on_every_chunk_are_charged_once_not_summed(bool withFinalUsageChunk)
    {
        // vLLM's continuous_usage_stats: each of the 8 chunks carries the prompt and the output so far.
        string[] pieces = ["The ", "capital ", "of ", "France ", "is ", "Paris", ", of ", "course."];
        await using var server = LocalOpenAIServer.Start(ServerReply.Stream(
            pieces,
            finalUsage: withFinalUsageChunk ? FullUsage : null,
            chunkUsage: i => $$"""{"prompt_tokens":180,"completion_tokens":{{300 * (i + 1) / 8}},"total_tokens":{{180 + (300 * (i + 1) / 8)}}}"""));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);

        var response = await gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400)).ToChatResponseAsync();

        AssertCharged(response.AdditionalProperties, Truth, ModelUsageIssue.None);
        Assert.Equal(Truth, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_cut_off_is_charged_its_prompt_and_the_output_received()
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Stream(["The ", "capital ", "of "], finalUsage: null, cutOff: true));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);

        var received = await ReadUntilCutOffAsync(gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400)));

        // 11 prompt tokens × $0.15/M + 4 received ("The capital of ") × $0.60/M = 1.65 + 2.4, rounded up; the hold was 242.
        Assert.Equal("The capital of ", received.ToChatResponse().Text);
        Assert.Equal(5, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_stream_cut_off_after_running_totals_is_charged_the_last_total_it_reported()
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Stream(
            ["The ", "capital ", "of "],
            finalUsage: null,
            chunkUsage: i => $$"""{"prompt_tokens":180,"completion_tokens":{{i + 1}},"total_tokens":{{181 + i}}}""",
            cutOff: true));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);

        await ReadUntilCutOffAsync(gate.GetStreamingResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400)));

        // The reported 180 prompt tokens and 3 output tokens: 27 + 1.8, rounded up.
        Assert.Equal(29, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_completion_cancelled_after_it_was_sent_is_charged_its_hold()
    {
        var received = new TaskCompletionSource();
        await using var server = LocalOpenAIServer.Start(ServerReply.Hang(received));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);
        using var cancellation = new CancellationTokenSource();

        var call = gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), cancellation.Token);
        await received.Task;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(Hold, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task An_absurd_usage_is_charged_at_the_cap_and_the_response_returned()
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Completion("Paris.", """{"prompt_tokens":180,"completion_tokens":2000000000,"total_tokens":2000000180}"""));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill, o => o.MaxChargedUnits = 50_000);

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400));

        Assert.Equal("Paris.", response.Text);
        AssertCharged(response.AdditionalProperties, 50_000, ModelUsageIssue.Absurd);
        Assert.Equal(50_000, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Theory]
    [InlineData("""{"prompt_tokens":10000,"total_tokens":10000}""", 1_300, ModelUsageIssue.None)]
    [InlineData("""{"prompt_tokens":0,"total_tokens":0}""", 2, ModelUsageIssue.Zero)]
    public async Task Embeddings_are_charged_their_honest_bound(string usage, long charged, ModelUsageIssue issue)
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Embeddings(2, usage));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = new AgentBillEmbeddingGenerator(LocalOpenAI.Embeddings(server), bill);

        var embeddings = await gate.GenerateAsync(["Hello, world!", "こんにちは世界"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice" } });

        // 10,000 × $0.13/M; or the estimate of 8 tokens × $0.13/M = 1.04, rounded up.
        Assert.Equal(2, embeddings.Count);
        AssertCharged(embeddings.AdditionalProperties, charged, issue);
        Assert.Equal(charged, await bill.UsedAsync("alice"));
    }

    /// <summary>
    /// Reads a stream whose connection the server drops. The client may end the stream cleanly at the drop or throw:
    /// the charge is the same either way.
    /// </summary>
    private static async Task<List<ChatResponseUpdate>> ReadUntilCutOffAsync(IAsyncEnumerable<ChatResponseUpdate> stream)
    {
        var received = new List<ChatResponseUpdate>();
        try
        {
            await foreach (var update in stream)
            {
                received.Add(update);
            }
        }
        catch (IOException)
        {
        }

        return received;
    }

    private static void AssertCharged(AdditionalPropertiesDictionary? properties, long charged, ModelUsageIssue issue)
    {
        Assert.NotNull(properties);
        Assert.Equal(
            (charged, issue != ModelUsageIssue.None, issue),
            (properties[AgentBillPropertyNames.ChargedUnits], properties[AgentBillPropertyNames.UsageEstimated], properties[AgentBillPropertyNames.UsageIssue]));
    }
}
