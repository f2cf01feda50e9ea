using AgentBill.Extensions.AI;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace AgentBill.Benchmarks;

/// <summary>
/// <c>UseAgentBill()</c> over a client that answers at once, against that client bare. Tokenization is excluded
/// (a fixed estimator): what remains is the gate — estimate, price, hold, settle.
/// </summary>
[BenchmarkCategory("chat")]
public class ChatMiddlewareBenchmarks
{
    private static readonly ChatMessage[] Prompt = [new(ChatRole.User, "What does a budget gate do?")];
    private static readonly ChatOptions Options = new() { ModelId = "gpt-4o-mini", MaxOutputTokens = 100 };

    private readonly IChatClient _bare = new InstantChatClient();
    private readonly IChatClient _gated;

    public ChatMiddlewareBenchmarks()
    {
        var bill = BenchClients.InMemory();
        _gated = new ChatClientBuilder(new InstantChatClient())
            .UseAgentBill(bill, o =>
            {
                o.AgentId = "bench";
                o.Estimator = new FixedEstimator();
            })
            .Build();
    }

    [Benchmark(Baseline = true, Description = "bare IChatClient")]
    public Task<ChatResponse> Bare() => _bare.GetResponseAsync(Prompt, Options);

    [Benchmark(Description = "UseAgentBill() over it (tokenization excluded)")]
    public Task<ChatResponse> Gated() => _gated.GetResponseAsync(Prompt, Options);

    private sealed class InstantChatClient : IChatClient
    {
        private static readonly ChatMessage Reply = new(ChatRole.Assistant, "It refuses runs the budget cannot pay for.");

        // A new response each call, as a provider's client makes: the gate writes its settlement onto the
        // response, and a shared one would hide what that costs.
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(new ChatResponse(Reply)
            {
                ModelId = "gpt-4o-mini",
                Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 9, TotalTokenCount = 21 },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class FixedEstimator : ITokenEstimator
    {
        public long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId) => 12;

        public long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId) => 12;
    }
}
