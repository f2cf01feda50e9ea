using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>
/// A chat middleware that makes a call pay for the parties it was made for, however late it runs: it captures the
/// <see cref="AgentBillContext"/> current when <see cref="GetStreamingResponseAsync"/> is called and makes it current
/// again around every step of the returned stream, so the middleware inside it (a <c>UseFunctionInvocation()</c> tool
/// loop, whose round-trips start only when its stream is enumerated) and the gate inside that charge the scope's
/// customer even when the stream is read after the scope ended: returned from an ASP.NET endpoint, handed to another
/// thread, or read where the execution context does not flow.
/// </summary>
/// <remarks>
/// <para>
/// It must be the outermost middleware (the first <c>Use</c> of the pipeline): only the outermost client's method is
/// called while the scope is still current; every client inside it starts when the stream is enumerated.
/// <see cref="AgentBillChatClientBuilderExtensions.UseAgentBillWithFunctionInvocation"/> adds it, the tool loop and
/// the gate in that order. <c>FunctionInvokingChatClient.CurrentContext</c> is captured the same way.
/// </para>
/// <para>
/// What is restored is exactly what was current when the call was made (the <see cref="AgentBillAmbient"/>: the
/// context and the call in flight in it), none included: a stream made outside any context does not pick up the
/// context of whoever enumerates it. The steps run on the one context-restoring enumerator
/// (<see cref="ContextRestoringAsyncEnumerable"/>). <see cref="GetResponseAsync"/> starts at once in
/// the caller's flow, where the context flows by itself; it is forwarded unchanged.
/// </para>
/// </remarks>
public sealed class AgentBillContextChatClient : DelegatingChatClient
{
    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The pipeline it captures the context for.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    public AgentBillContextChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    /// <remarks>The context is current while the inner pipeline runs, as it is for any call that starts at once.</remarks>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The inner pipeline's stream is made now, in the current context; each of its steps (and its disposal) runs in
    /// that context again, wherever and whenever the returned stream is enumerated.
    /// </remarks>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => ContextRestoringAsyncEnumerable.Create(
            AgentBillAmbient.Current,
            base.GetStreamingResponseAsync(messages, options, cancellationToken),
            static (updates, _) => updates,
            cancellationToken);
}
