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

        // The other OpenAI clients that bill per call: CreateResponse(Async), CreateResponseStreamingAsync (not the
        // Get/Delete/Cancel of stored responses); GenerateEmbedding(s)(Async); GenerateImage(s), GenerateImageEdit(s),
        // GenerateImageVariation(s), their streaming forms; GenerateSpeech*, TranscribeAudio*, TranslateAudio*
        // (not the voice-consent administration).
        Add(symbols.OpenAIResponsesClient, static name => name.StartsWith("CreateResponse", StringComparison.Ordinal));
        Add(symbols.OpenAIEmbeddingClient, static name => name.StartsWith("GenerateEmbedding", StringComparison.Ordinal));
        Add(symbols.OpenAIImageClient, static name => name.StartsWith("GenerateImage", StringComparison.Ordinal));
        Add(symbols.OpenAIAudioClient, static name => name.StartsWith("GenerateSpeech", StringComparison.Ordinal)
                                                     || name.StartsWith("TranscribeAudio", StringComparison.Ordinal)
                                                     || name.StartsWith("TranslateAudio", StringComparison.Ordinal));

        // Microsoft.Extensions.AI's image and speech abstractions: GenerateAsync (and its extensions), GetText(Async),
        // GetStreamingTextAsync, GetAudioAsync, GetStreamingAudioAsync.
        Add(symbols.ImageGenerator, static name => name.StartsWith("Generate", StringComparison.Ordinal));
        Add(symbols.SpeechToTextClient, static name => name is "GetTextAsync" or "GetStreamingTextAsync");
        Add(symbols.TextToSpeechClient, static name => name is "GetAudioAsync" or "GetStreamingAudioAsync");

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

    /// <summary>Gets whether the type is itself a model API: it implements or derives from one of the catalogue's types.</summary>
    public bool IsApiType(INamedTypeSymbol type, ImmutableArray<LlmApi> configured)
    {
        foreach (var api in _apis)
        {
            if (api.Type is { } apiType && type.IsA(apiType))
            {
                return true;
            }
        }

        foreach (var api in configured)
        {
            if (api.Type is { } apiType && type.IsA(apiType))
            {
                return true;
            }
        }

        return false;
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
