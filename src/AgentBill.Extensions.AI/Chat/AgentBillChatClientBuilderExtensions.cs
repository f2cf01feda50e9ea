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
    /// to it) so each round-trip of a tool loop is gated, and start the pipeline with
    /// <see cref="AgentBillContextChatClientBuilderExtensions.UseAgentBillContext"/> so a stream read after its
    /// <see cref="AgentBillContext"/> ended is still charged to that context's customer;
    /// <see cref="UseAgentBillWithFunctionInvocation"/> adds the three in that order.
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

    /// <summary>
    /// Adds the recommended gated tool loop in the one order that works, so it cannot be got wrong:
    /// <see cref="AgentBillContextChatClientBuilderExtensions.UseAgentBillContext"/> outermost (a stream made inside an
    /// <see cref="AgentBillContext"/> is charged to its customer wherever it is enumerated), then
    /// <c>UseFunctionInvocation()</c>, then <see cref="UseAgentBill"/> inside the loop (every model round-trip is held
    /// and settled on its own, so a runaway loop stops when the budget runs out).
    /// <code>
    /// var chat = inner.AsBuilder()
    ///     .UseAgentBillWithFunctionInvocation(configure: o => o.AgentId = "researcher")
    ///     .Build(services);
    /// </code>
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="bill">The budget gate, or <see langword="null"/> to resolve <see cref="IAgentBill"/> from the pipeline's services.</param>
    /// <param name="configure">Sets the gate's options.</param>
    /// <param name="configureFunctionInvocation">Sets the tool loop's options (<see cref="FunctionInvokingChatClient.MaximumIterationsPerRequest"/>, ...).</param>
    /// <param name="loggerFactory">The tool loop's logger factory, or <see langword="null"/> to resolve it from the pipeline's services.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    [GatesModelCalls]
    public static ChatClientBuilder UseAgentBillWithFunctionInvocation(
        this ChatClientBuilder builder,
        IAgentBill? bill = null,
        Action<AgentBillChatClientOptions>? configure = null,
        Action<FunctionInvokingChatClient>? configureFunctionInvocation = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .UseAgentBillContext()
            .UseFunctionInvocation(loggerFactory, configureFunctionInvocation)
            .UseAgentBill(bill, configure);
    }
}
