using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>Adds <see cref="AgentBillContextChatClient"/> to a chat pipeline.</summary>
public static class AgentBillContextChatClientBuilderExtensions
{
    /// <summary>
    /// Captures the <see cref="AgentBillContext"/> when a streaming call is made and restores it around every step of
    /// the stream, so a stream enumerated after its scope ended is still charged to the scope's customer. Call it
    /// first (outermost), before <c>UseFunctionInvocation()</c> and <c>UseAgentBill()</c>:
    /// <code>
    /// var chat = inner.AsBuilder()
    ///     .UseAgentBillContext()
    ///     .UseFunctionInvocation()
    ///     .UseAgentBill()
    ///     .Build(services);
    /// </code>
    /// <see cref="AgentBillChatClientBuilderExtensions.UseAgentBillWithFunctionInvocation"/> adds the three in that order.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseAgentBillContext(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static innerClient => new AgentBillContextChatClient(innerClient));
    }
}
