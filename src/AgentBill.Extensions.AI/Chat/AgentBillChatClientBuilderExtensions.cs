using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics.Metrics;

namespace AgentBill.Extensions.AI;

/// <summary>Adds <see cref="AgentBillChatClient"/> to a chat pipeline.</summary>
public static class AgentBillChatClientBuilderExtensions
{
    /// <summary>
    /// Gates every model call of the pipeline on the budget. Place it after <c>UseFunctionInvocation()</c> (inner
    /// to it) so each round-trip of a tool loop is gated.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the pipeline's services.</param>
    /// <param name="configure">Sets the middleware's options.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static ChatClientBuilder UseAgentBill(this ChatClientBuilder builder, IAgentBill? bill = null, Action<AgentBillChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerClient, services) =>
        {
            var options = new AgentBillChatClientOptions();
            configure?.Invoke(options);
            return new AgentBillChatClient(
                innerClient,
                bill ?? services.GetService<IAgentBill>() ?? throw MissingBill.Exception(),
                options,
                services.GetService<ILoggerFactory>()?.CreateLogger<AgentBillChatClient>(),
                services.GetService<IMeterFactory>(),
                services.GetService<TimeProvider>());
        });
    }
}
