using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>The model-calling APIs AGB0001 knows without configuration, resolved by symbol once per compilation.</summary>
internal sealed class LlmApiCatalog
{
    private readonly ImmutableArray<LlmApi> _apis;

    private LlmApiCatalog(ImmutableArray<LlmApi> apis) => _apis = apis;

    public bool IsEmpty => _apis.IsEmpty;

    public static LlmApiCatalog Create(KnownSymbols symbols)
    {
        var apis = ImmutableArray.CreateBuilder<LlmApi>();
        Add(symbols.ChatClient, static name => name is "GetResponseAsync" or "GetStreamingResponseAsync");

        // GenerateAsync on the interface; GenerateAsync, GenerateVectorAsync, GenerateAndZipAsync as extensions.
        Add(symbols.EmbeddingGenerator, static name => name.StartsWith("Generate", StringComparison.Ordinal));

        // CompleteChat, CompleteChatAsync, CompleteChatStreaming, CompleteChatStreamingAsync; Azure OpenAI returns this type too.
        Add(symbols.OpenAIChatClient, static name => name.StartsWith("CompleteChat", StringComparison.Ordinal));

        // GetChatMessageContent(s)Async and GetStreamingChatMessageContentsAsync, not AsChatClient.
        Add(symbols.ChatCompletionService, static name => name.IndexOf("ChatMessageContent", StringComparison.Ordinal) >= 0);
        Add(symbols.Kernel, static name => name is "InvokePromptAsync" or "InvokePromptStreamingAsync");
        return new LlmApiCatalog(apis.ToImmutable());

        void Add(INamedTypeSymbol? type, Func<string, bool> names)
        {
            if (type is not null)
            {
                apis.Add(LlmApi.ForType(type, names, includeExtensions: true));
            }
        }
    }

    public bool Matches(IMethodSymbol method, ImmutableArray<LlmApi> configured)
    {
        foreach (var api in _apis)
        {
            if (api.Matches(method))
            {
                return true;
            }
        }

        foreach (var api in configured)
        {
            if (api.Matches(method))
            {
                return true;
            }
        }

        return false;
    }
}
