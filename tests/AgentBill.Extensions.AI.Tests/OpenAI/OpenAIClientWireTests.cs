using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.OpenAI;

/// <summary>Nothing the real OpenAI client sends changes behind the gate, except the output cap when asked for.</summary>
public sealed class OpenAIClientWireTests
{
    private const string Usage = """{"prompt_tokens":180,"completion_tokens":300,"total_tokens":480}""";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_gated_request_is_the_request_the_client_sends_without_the_gate(bool streaming)
    {
        await using var server = LocalOpenAIServer.Start(body => body["stream"]?.GetValue<bool>() is true
            ? ServerReply.Stream(["Paris."], finalUsage: Usage)
            : ServerReply.Completion("Paris.", Usage));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var ungated = LocalOpenAI.Chat(server);
        using var gated = Gates.Chat(LocalOpenAI.Chat(server), bill);

        await ungated.AskAsync("Hello, world!", Options(), streaming);
        var withCustomer = Options();
        withCustomer.AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice", [AgentBillPropertyNames.TaskRef] = "report-42" };
        await gated.AskAsync("Hello, world!", withCustomer, streaming);

        var (sent, gatedSent) = (server.Requests[0], server.Requests[1]);
        Assert.True(JsonNode.DeepEquals(sent, gatedSent), $"ungated: {sent.ToJsonString()}\ngated:   {gatedSent.ToJsonString()}");
        Assert.Equal(207, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_stream_asks_for_its_usage_as_the_client_always_does()
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Stream(["Paris."], finalUsage: Usage));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(LocalOpenAI.Chat(server), bill);

        await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming: true);

        Assert.Equal(true, Assert.Single(server.Requests)["stream_options"]?["include_usage"]?.GetValue<bool>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApplyDefaultMaxOutputTokens_adds_only_the_output_cap(bool streaming)
    {
        await using var server = LocalOpenAIServer.Start(body => body["stream"]?.GetValue<bool>() is true
            ? ServerReply.Stream(["Paris."], finalUsage: Usage)
            : ServerReply.Completion("Paris.", Usage));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var ungated = LocalOpenAI.Chat(server);
        using var gated = Gates.Chat(LocalOpenAI.Chat(server), bill, o => o.ApplyDefaultMaxOutputTokens = true);

        await ungated.AskAsync("Hello, world!", new ChatOptions(), streaming);
        await gated.AskAsync("Hello, world!", Gates.For("alice"), streaming);

        var expected = server.Requests[0].DeepClone().AsObject();
        expected["max_completion_tokens"] = 4_096;
        Assert.True(JsonNode.DeepEquals(expected, server.Requests[1]), $"expected: {expected.ToJsonString()}\ngated:    {server.Requests[1].ToJsonString()}");
    }

    [Fact]
    public async Task The_gated_embedding_request_is_the_request_the_client_sends_without_the_gate()
    {
        await using var server = LocalOpenAIServer.Start(ServerReply.Embeddings(1, """{"prompt_tokens":4,"total_tokens":4}"""));
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var ungated = LocalOpenAI.Embeddings(server);
        using var gated = new AgentBillEmbeddingGenerator(LocalOpenAI.Embeddings(server), bill);

        await ungated.GenerateAsync(["Hello, world!"]);
        await gated.GenerateAsync(["Hello, world!"], new EmbeddingGenerationOptions { AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice" } });

        Assert.True(JsonNode.DeepEquals(server.Requests[0], server.Requests[1]), $"ungated: {server.Requests[0].ToJsonString()}\ngated:   {server.Requests[1].ToJsonString()}");
    }

    private static ChatOptions Options() => new() { MaxOutputTokens = 400, Temperature = 0.2f };
}
