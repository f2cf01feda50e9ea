using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentBill.Agents.AI;

/// <summary>
/// Makes sure an agent's chat pipeline has exactly one AgentBill gate where it sees every model round-trip: below
/// function invocation. A gate the user put there is used as it is. A <see cref="ChatClientAgent"/> without one is
/// rebuilt with the same options around the user's chat client gated: the agent adds its own middleware (function
/// invocation included) above the gate, as it would have. Anything else cannot be gated per round-trip, and
/// building fails with what to change, rather than letting a tool loop spend unseen.
/// </summary>
internal static class AgentChatGate
{
    // ChatClientAgent's innermost own middleware in Microsoft.Agents.AI 1.x: what sits below it is the user's client.
    private const string AgentMiddlewareFloor = "Microsoft.Agents.AI.DeferredOpenTelemetryChatClient";

    public static AIAgent Ensure(AIAgent agent, IAgentBill bill, AgentBillAgentOptions options, IServiceProvider services)
    {
        var loop = agent.GetService<FunctionInvokingChatClient>();
        if (agent.GetService<AgentBillChatClient>() is not null)
        {
            return loop is null || loop.GetService<AgentBillChatClient>() is not null ? agent : throw GateOutsideLoop();
        }

        if (agent is not ChatClientAgent chatAgent)
        {
            throw Uninsertable($"the agent is a {agent.GetType().Name}, not a {nameof(ChatClientAgent)} whose chat client it can gate");
        }

        var agentOptions = chatAgent.GetService<ChatClientAgentOptions>()?.Clone() ?? new ChatClientAgentOptions();
        var userClient = agentOptions.UseProvidedChatClientAsIs ? chatAgent.ChatClient : BelowAgentMiddleware(chatAgent.ChatClient);
        if (userClient is null || userClient.GetService<FunctionInvokingChatClient>() is not null)
        {
            throw Uninsertable("its chat client runs its own tool loop (UseFunctionInvocation()) with no UseAgentBill() inside it");
        }

        // The same agent, as far as its callers can tell: its id, its chat history, its options.
        agentOptions.Id ??= chatAgent.Id;
        agentOptions.ChatHistoryProvider ??= chatAgent.ChatHistoryProvider;
        var gated = new AgentBillChatClient(
            userClient,
            bill,
            options.Gate,
            services.GetService<ILoggerFactory>()?.CreateLogger<AgentBillChatClient>(),
            services.GetService<IMeterFactory>(),
            services.GetService<TimeProvider>());
        return new ChatClientAgent(gated, agentOptions, services.GetService<ILoggerFactory>(), services);
    }

    /// <summary>The client below the middleware a <see cref="ChatClientAgent"/> added, or <see langword="null"/> when it cannot be found.</summary>
    private static IChatClient? BelowAgentMiddleware(IChatClient pipeline)
    {
        for (var client = pipeline; client is DelegatingChatClient delegating; client = InnerClient(delegating))
        {
            if (delegating.GetType().FullName == AgentMiddlewareFloor)
            {
                return InnerClient(delegating);
            }
        }

        return null;
    }

    // DelegatingChatClient.InnerClient is protected: part of its contract with derived types, read here from outside one.
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_InnerClient")]
    private static extern IChatClient InnerClient(DelegatingChatClient client);

    private static InvalidOperationException GateOutsideLoop() => new(
        "The agent's chat client has UseAgentBill() outside UseFunctionInvocation(): it would hold once for a whole tool loop. "
        + "Call UseAgentBill() after UseFunctionInvocation() on the chat client builder (AGB0004).");

    private static InvalidOperationException Uninsertable(string why) => new(
        $"UseAgentBill() on the agent cannot gate every model round-trip: {why}. "
        + "Gate the chat client inside its tool loop (chatClient.AsBuilder().UseFunctionInvocation().UseAgentBill()), or add UseAgentBill() to the builder of the ChatClientAgent itself (AGB0007).");
}
