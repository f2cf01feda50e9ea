using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Agents.AI;

/// <summary>Adds <see cref="AgentBillAgent"/> to an agent pipeline.</summary>
public static class AgentBillAgentBuilderExtensions
{
    /// <summary>
    /// Gives every run of the agent a budget: the run is a task of its customer, with an optional ceiling of its own;
    /// every model round-trip of its tool loop is held and settled by the chat gate (the one on the agent's chat client,
    /// or one inserted below function invocation when there is none), and tool costs are charged through
    /// function-invocation middleware. The run ends cleanly when the budget cannot pay for its next call.
    /// </summary>
    /// <param name="builder">The agent pipeline.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the pipeline's services.</param>
    /// <param name="configure">Sets the middleware's options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// Building throws <see cref="InvalidOperationException"/> when the agent's model round-trips cannot all be gated:
    /// the chat client's <c>UseAgentBill()</c> sits outside its <c>UseFunctionInvocation()</c>, or the agent is not a
    /// <see cref="ChatClientAgent"/> and its chat client is not gated, or the chat client runs its own ungated tool loop.
    /// </remarks>
    [GatesModelCalls]
    public static AIAgentBuilder UseAgentBill(this AIAgentBuilder builder, IAgentBill? bill = null, Action<AgentBillAgentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerAgent, services) =>
        {
            var options = new AgentBillAgentOptions();
            configure?.Invoke(options);
            options.Validate();
            var resolved = bill ?? services.GetService<IAgentBill>() ?? throw MissingBill.Exception();
            var gated = AgentChatGate.Ensure(innerAgent, resolved, options, services);
            return new AgentBillAgent(WithToolCosts(gated, resolved, options, services), options);
        });
    }

    /// <summary>The agent with the tool-cost middleware, when a tool has a cost; it needs the agent's function invocation.</summary>
    private static AIAgent WithToolCosts(AIAgent agent, IAgentBill bill, AgentBillAgentOptions options, IServiceProvider services)
    {
        var costs = new Dictionary<string, long>(options.ToolCosts, StringComparer.Ordinal);
        var tools = agent.GetService<ChatClientAgentOptions>()?.ChatOptions?.Tools;
        if (costs.Count == 0 && !(tools?.OfType<AIFunction>().Any(tool => ToolCostHold.CostOf(costs, pluginName: null, tool.Name, tool.UnderlyingMethod) is not null) ?? false))
        {
            return agent;
        }

        var middleware = new ToolCostMiddleware(bill, costs, options.ToolCostMeter, options.AgentIdOf(agent));
        return new AIAgentBuilder(agent).Use(middleware.InvokeAsync).Build(services);
    }
}
