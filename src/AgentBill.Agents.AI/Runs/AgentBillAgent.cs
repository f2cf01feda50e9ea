using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// Agent-run middleware that gives every run of an agent a budget of its own: the run is a task of a customer,
/// with an optional <see cref="SpendingCeiling"/>, and every model round-trip of its tool loop is held and settled by
/// the chat gate below function invocation against those parties. When the budget (the store's, or the run's
/// ceiling) cannot hold the next call, the run ends: <see cref="AgentRunRefusedException"/>, or a refusal answer in
/// <see cref="AgentBillRefusalMode.ReturnResponse"/>; the refused call holds nothing and every earlier hold is settled.
/// Add it with <see cref="AgentBillAgentBuilderExtensions.UseAgentBill"/>.
/// </summary>
/// <remarks>
/// The run's usage is written to the response's <c>AdditionalProperties</c> (<see cref="AgentBillAgentPropertyNames.RunUsage"/>;
/// a streaming run's last update carries it) and stays on the run's <see cref="AgentBillContext.Usage"/>, which adds
/// into every context the run was started in. A streaming run's parties are fixed when the framework starts it (its
/// first <c>MoveNextAsync</c>: <c>AIAgent.RunStreamingAsync</c> defers all work to it), and every later step runs in
/// them, from whatever flow it is pulled.
/// </remarks>
public sealed class AgentBillAgent : DelegatingAIAgent
{
    private readonly AgentBillAgentOptions _options;
    private readonly string _agentId;

    internal AgentBillAgent(AIAgent innerAgent, AgentBillAgentOptions options)
        : base(innerAgent)
    {
        _options = options;
        _agentId = options.AgentIdOf(innerAgent);
    }

    /// <inheritdoc />
    /// <exception cref="AgentRunRefusedException">The budget stopped the run (in <see cref="AgentBillRefusalMode.Throw"/>).</exception>
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var input = Input(messages);
        var run = AgentRun.Create(_options, _agentId, input, session, options);
        AgentResponse response;
        try
        {
            using (run.Enter())
            {
                response = await InnerAgent.RunAsync(input, session, options, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AgentBillRefusedException refusal)
        {
            return Refused(refusal.Refusal, run, partial: null);
        }

        if (RunRefusals.Of(run, response.AdditionalProperties) is { } stopped)
        {
            return Refused(stopped, run, response);
        }

        (response.AdditionalProperties ??= [])[AgentBillAgentPropertyNames.RunUsage] = run.Usage();
        return response;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every round-trip settles when its stream ends, fails or is abandoned (the chat gate's rule); a run whose
    /// enumeration is disposed early disposes the agent's stream, so nothing stays held. The last update carries the
    /// run's usage under <see cref="AgentBillAgentPropertyNames.RunUsage"/>.
    /// </remarks>
    protected override IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var input = Input(messages);
        var run = AgentRun.Create(_options, _agentId, input, session, options);
        return ContextRestoringAsyncEnumerable.Create(
            (Inner: InnerAgent, Input: input, Session: session, Options: options),
            static (state, ct) => state.Inner.RunStreamingAsync(state.Input, state.Session, state.Options, ct),
            new AgentRunStream(run, _options.RefusalMode),
            cancellationToken);
    }

    private AgentResponse Refused(PreflightResult refusal, AgentRun run, AgentResponse? partial)
    {
        if (_options.RefusalMode == AgentBillRefusalMode.Throw)
        {
            throw RunRefusals.Exception(refusal, run);
        }

        var response = RunRefusals.Response(refusal, partial);
        response.AdditionalProperties![AgentBillAgentPropertyNames.RunUsage] = run.Usage();
        return response;
    }

    private static IReadOnlyCollection<ChatMessage> Input(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
    }
}
