using Microsoft.CodeAnalysis;

namespace AgentBill.Analyzers;

/// <summary>Decides, by symbol, whether a method sends a request to a language model.</summary>
internal sealed class ModelCallMatcher(KnownSymbols symbols, IReadOnlyCollection<string> declaredApis)
{
    public bool IsModelCall(IMethodSymbol called)
    {
        var method = (called.ReducedFrom ?? called).OriginalDefinition;
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        if (Is(type, symbols.ChatClient))
        {
            return method.Name is "GetResponseAsync" or "GetStreamingResponseAsync";
        }

        if (Is(type, symbols.EmbeddingGenerator))
        {
            return method.Name == "GenerateAsync";
        }

        if (Is(type, symbols.ChatCompletionService))
        {
            return method.Name is "GetChatMessageContentsAsync" or "GetStreamingChatMessageContentsAsync";
        }

        if (Is(type, symbols.OpenAIChatClient))
        {
            return method.Name.StartsWith("CompleteChat", StringComparison.Ordinal);
        }

        if (symbols.ModelExtensionTypes.Contains(type))
        {
            return method.Name.StartsWith("GetResponse", StringComparison.Ordinal)
                || method.Name.StartsWith("GetStreamingResponse", StringComparison.Ordinal)
                || method.Name.StartsWith("Generate", StringComparison.Ordinal)
                || method.Name.StartsWith("GetChatMessageContent", StringComparison.Ordinal)
                || method.Name.StartsWith("GetStreamingChatMessageContent", StringComparison.Ordinal)
                || method.Name.StartsWith("InvokePrompt", StringComparison.Ordinal);
        }

        if (Is(type, symbols.Kernel))
        {
            return method.Name.StartsWith("InvokePrompt", StringComparison.Ordinal);
        }

        // A concrete client called through its own type still implements the interface method.
        if (symbols.ChatClient is { } chatClient && type.AllInterfaces.Contains(chatClient, SymbolEqualityComparer.Default)
            && chatClient.GetMembers().Any(member => SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)))
        {
            return true;
        }

        return IsDeclared(method);
    }

    /// <summary>APIs declared in .editorconfig as documentation ids: <c>T:Ns.Type</c> (every method) or <c>M:Ns.Type.Method</c> (every overload).</summary>
    private bool IsDeclared(IMethodSymbol method)
    {
        if (declaredApis.Count == 0)
        {
            return false;
        }

        var typeId = method.ContainingType.GetDocumentationCommentId();
        var methodId = method.GetDocumentationCommentId();
        var methodName = methodId is null ? null : methodId.Split('(')[0];
        return declaredApis.Contains(typeId!) || (methodName is not null && declaredApis.Contains(methodName)) || (methodId is not null && declaredApis.Contains(methodId));
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? expected) => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
