using System.Runtime.CompilerServices;
using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// One agent run: the <see cref="AgentBillContext"/> its calls are charged in (customer, task, agent and the run's
/// ceiling), and the refusal that stopped it, when one did. The context is made when the run is called and made
/// current around each step of the run, so a stream pulled from another flow still charges the run's parties.
/// </summary>
internal sealed class AgentRun
{
    // The run a context belongs to, for the tool middleware, which only sees the ambient context.
    private static readonly ConditionalWeakTable<AgentBillContext, AgentRun> Runs = [];

    private PreflightResult? _stoppedBy;

    private AgentRun(AgentBillContext context) => Context = context;

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

        var run = new AgentRun(context);
        Runs.AddOrUpdate(context, run);
        return run;
    }

    /// <summary>The run whose context is current, or one the current context is nested in.</summary>
    public static AgentRun? Current()
    {
        for (var context = AgentBillContext.Current; context is not null; context = context.Parent)
        {
            if (Runs.TryGetValue(context, out var run))
            {
                return run;
            }
        }

        return null;
    }

    /// <summary>Makes the run's context current until disposed.</summary>
    public AgentBillContext.Restoration Enter() => AgentBillContext.Restore(Context);

    /// <summary>Records that a refusal ended the run's tool loop; the first one is the run's.</summary>
    public void Stop(PreflightResult refusal) => Interlocked.CompareExchange(ref _stoppedBy, refusal, null);

    /// <summary>What the run has spent so far.</summary>
    public AgentRunUsage Usage() => AgentRunUsage.Of(Context);

    private readonly record struct RunInput(AgentBillAgentOptions Options, IReadOnlyCollection<ChatMessage> Messages, AgentSession? Session);
}
