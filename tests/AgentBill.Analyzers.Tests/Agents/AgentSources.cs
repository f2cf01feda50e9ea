namespace AgentBill.Analyzers.Tests.Agents;

/// <summary>What the agent tests compile with: a local model client, and AgentBill.Agents.AI's agent-builder extension.</summary>
internal static class AgentSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using AgentBill;
        using AgentBill.Agents.AI;
        using AgentBill.Extensions.AI;
        using Microsoft.Agents.AI;
        using Microsoft.Extensions.AI;

        """;

    /// <summary>A model client of the project, and the agent builder's UseAgentBill() (the package is built in parallel).</summary>
    public const string Support = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.AI;

        public sealed class LocalModel : IChatClient
        {
            public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
            public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => throw new NotImplementedException();
            public object? GetService(Type serviceType, object? serviceKey = null) => null;
            public void Dispose() { }
        }

        namespace AgentBill.Agents.AI
        {
            public static class AgentBillAgentBuilderExtensions
            {
                public static Microsoft.Agents.AI.AIAgentBuilder UseAgentBill(this Microsoft.Agents.AI.AIAgentBuilder builder, AgentBill.IAgentBill? bill = null) => builder;
            }
        }
        """;
}
