namespace AgentBill.Analyzers.Tests.Agents;

/// <summary>What the agent tests compile with: a local model client; AgentBill.Agents.AI itself is referenced.</summary>
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

    /// <summary>A model client of the project; AgentBill.Agents.AI's <c>UseAgentBill()</c> is the real one (see <see cref="TestReferences"/>).</summary>
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
        """;
}
