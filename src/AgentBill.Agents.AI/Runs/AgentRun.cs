using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// One agent run: the <see cref="AgentBillContext"/> its calls are charged in (customer, task, agent and the run's
/// ceiling), and the refusal that stopped it, when one did. The context is made when the run is called and made
/// current around each step of the run, so a stream pulled from another flow still charges the run's parties. The run
/// is the call in flight of that ambient state (<see cref="AgentBillAmbient.Call"/>), so the tool middleware finds it.
/// </summary>
internal sealed class AgentRun
{
    private readonly AgentBillAmbient _ambient;
    private PreflightResult? _stoppedBy;

    private AgentRun(AgentBillContext context)
    {
        Context = context;
        _ambient = AgentBillAmbient.Of(context).WithCall(this);
    }

    /// <summary>Gets the ambient state the run's steps run in: its context, with the run in flight.</summary>
    public AgentBillAmbient Ambient => _ambient;

    /// <summary>Gets the run's context.</summary>
    public AgentBillContext Context { get; }

    /// <summary>Gets the refusal of a tool's cost that ended the tool loop, or <see langword="null"/>.</summary>
    public PreflightResult? StoppedBy => Volatile.Read(ref _stoppedBy);

    /// <summary>
    /// Makes a run's context, nested in the current one, without making it current: the caller enters it around each
    /// step. The parties, in order: the run options' <c>agentbill.*</c> properties, the selectors, the session, the
    /// ambient context (inherited), then a fresh task.
    /// </summary>
    public static AgentRun Create(AgentBillAgentOptions options, string agentId, IReadOnlyCollection<ChatMessage> messages, AgentSession? session, AgentRunOptions? runOptions)
    {
        // The chat gate's precedence for what the call names (and its checks of those properties); no context here,
        // since the run's own selectors and session come before the ambient context.
        var named = ModelCallParties.Resolve(
            runOptions?.AdditionalProperties,
            context: null,
            static (run, runOptions) => run.Options.CustomerIdSelector?.Invoke(run.Messages, run.Session, runOptions),
            new RunInput(options, messages, session),
            runOptions,
            agentId);
        var customerId = named.CustomerId ?? session?.GetAgentBillCustomer();
        var taskRef = named.TaskRef
            ?? options.TaskRefSelector?.Invoke(messages, session, runOptions)
            ?? session?.TaskRefOrNew()
            ?? AgentBillContext.Current?.TaskRef
            ?? RunIds.Next();

        AgentBillContext context;
        using (AgentBillContext.Restore(AgentBillContext.Current))
        {
            // Begin makes the new context current; the restoration puts the caller's back at once.
            context = AgentBillContext.Begin(customerId, taskRef, named.AgentId, options.RunCeiling);
        }

        return new AgentRun(context);
    }

    /// <summary>The run in flight in the current flow (a context begun inside it keeps it), or <see langword="null"/>.</summary>
    public static AgentRun? Current() => AgentBillAmbient.Current.Call as AgentRun;

    /// <summary>Makes the run's context current, with the run in flight, until disposed.</summary>
    public AgentBillContext.Restoration Enter() => _ambient.Enter();

    /// <summary>Records that a refusal ended the run's tool loop; the first one is the run's.</summary>
    public void Stop(PreflightResult refusal) => Interlocked.CompareExchange(ref _stoppedBy, refusal, null);

    /// <summary>What the run has spent so far.</summary>
    public AgentRunUsage Usage() => AgentRunUsage.Of(Context);

    private readonly record struct RunInput(AgentBillAgentOptions Options, IReadOnlyCollection<ChatMessage> Messages, AgentSession? Session);
}
