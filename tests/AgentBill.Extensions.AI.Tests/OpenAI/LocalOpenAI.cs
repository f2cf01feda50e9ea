using System.ClientModel;
using System.ClientModel.Primitives;
using global::OpenAI;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.OpenAI;

/// <summary>The real OpenAI .NET client and its Microsoft.Extensions.AI adapters, pointed at a local server, with no retries.</summary>
internal static class LocalOpenAI
{
    public static IChatClient Chat(LocalOpenAIServer server, string model = "gpt-4o-mini") => Client(server).GetChatClient(model).AsIChatClient();

    public static IEmbeddingGenerator<string, Embedding<float>> Embeddings(LocalOpenAIServer server, string model = "text-embedding-3-large")
        => Client(server).GetEmbeddingClient(model).AsIEmbeddingGenerator();

    private static OpenAIClient Client(LocalOpenAIServer server)
        => new(new ApiKeyCredential("sk-local"), new OpenAIClientOptions { Endpoint = server.Endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) });
}
