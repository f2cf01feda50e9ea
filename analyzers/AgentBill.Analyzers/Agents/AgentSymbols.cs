using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AgentBill.Analyzers;

/// <summary>The Agent Framework and Microsoft.Extensions.AI types the agent rules match, resolved once per compilation.</summary>
internal sealed class AgentSymbols
{
    private AgentSymbols(Compilation compilation)
    {
        ChatClientAgent = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.ChatClientAgent");
        AgentBuilder = compilation.GetTypeByMetadataName("Microsoft.Agents.AI.AIAgentBuilder");
        ChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.IChatClient");
        ChatClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatClientBuilder");
        DelegatingChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.DelegatingChatClient");
        FunctionInvokingChatClient = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.FunctionInvokingChatClient");
        AgentBillChatClient = compilation.GetTypeByMetadataName("AgentBill.Extensions.AI.AgentBillChatClient");
        GatesModelCalls = compilation.GetTypeByMetadataName("AgentBill.GatesModelCallsAttribute");
    }

    /// <summary>Gets the marker AgentBill's gating steps carry; coverage is decided by it, never by names.</summary>
    public INamedTypeSymbol? GatesModelCalls { get; }

    public INamedTypeSymbol? ChatClientAgent { get; }

    public INamedTypeSymbol? AgentBuilder { get; }

    public INamedTypeSymbol? ChatClient { get; }

    public INamedTypeSymbol? ChatClientBuilder { get; }

    public INamedTypeSymbol? DelegatingChatClient { get; }

    public INamedTypeSymbol? FunctionInvokingChatClient { get; }

    public INamedTypeSymbol? AgentBillChatClient { get; }

    /// <summary>Gets whether the compilation builds agents at all.</summary>
    public bool Present => ChatClientAgent is not null && ChatClient is not null && ChatClientBuilder is not null;

    public static AgentSymbols Create(Compilation compilation) => new(compilation);

    /// <summary>Gets whether the call is AgentBill's <c>UseAgentBill()</c> on a chat client builder.</summary>
    public bool IsChatUseAgentBill(IInvocationOperation call) => IsAgentBillUse(call, ChatClientBuilder);

    /// <summary>Gets whether the call is AgentBill's <c>UseAgentBill()</c> on an agent builder.</summary>
    public bool IsAgentUseAgentBill(IInvocationOperation call) => IsAgentBillUse(call, AgentBuilder);

    private bool IsAgentBillUse(IInvocationOperation call, INamedTypeSymbol? builder)
    {
        var method = call.TargetMethod;
        return method.ExtendedType().IsOrDerivesFrom(builder) && (method.ReducedFrom ?? method).OriginalDefinition.HasAttribute(GatesModelCalls);
    }
}
