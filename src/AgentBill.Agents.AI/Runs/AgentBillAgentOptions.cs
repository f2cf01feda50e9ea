using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>Settings of the agent-run middleware added by <see cref="AgentBillAgentBuilderExtensions.UseAgentBill"/>.</summary>
public sealed class AgentBillAgentOptions
{
    /// <summary>Gets or sets the agent label every charge of a run is made for. Defaults to the agent's name, else <c>agent</c>.</summary>
    public string? AgentId { get; set; }

    /// <summary>
    /// Gets or sets a delegate that names the customer of a run from its messages, session and options. Consulted when
    /// the run options' <see cref="AgentBillPropertyNames.CustomerId"/> property names none; returning
    /// <see langword="null"/> falls through to the session (<see cref="AgentBillSessionExtensions.SetAgentBillCustomer"/>),
    /// then to the ambient <see cref="AgentBillContext"/>, then to the client's default customer.
    /// </summary>
    public Func<IReadOnlyCollection<ChatMessage>, AgentSession?, AgentRunOptions?, string?>? CustomerIdSelector { get; set; }

    /// <summary>
    /// Gets or sets a delegate that names the task of a run. Returning <see langword="null"/> falls through to the
    /// session's task (every run of one session is one task), then to the ambient context's task, then to a fresh id.
    /// </summary>
    public Func<IReadOnlyCollection<ChatMessage>, AgentSession?, AgentRunOptions?, string?>? TaskRefSelector { get; set; }

    /// <summary>
    /// Gets or sets the run's own cap, on top of the customer's budgets: every model round-trip and tool cost of one
    /// run together may not spend more. <see langword="null"/> (the default) for none. The tightest limit wins.
    /// </summary>
    public SpendingCeiling? RunCeiling { get; set; }

    /// <summary>
    /// Gets or sets what a run the budget stops does: <see cref="AgentBillRefusalMode.Throw"/> (the default) throws
    /// <see cref="AgentRunRefusedException"/>; <see cref="AgentBillRefusalMode.ReturnResponse"/> answers with an
    /// <see cref="AgentResponse"/> whose last message says why, finish reason <see cref="AgentBillChatFinishReasons.BudgetRefused"/>.
    /// </summary>
    public AgentBillRefusalMode RefusalMode { get; set; } = AgentBillRefusalMode.Throw;

    /// <summary>
    /// Gets the cost of a tool call by tool name, in <see cref="ToolCostMeter"/> units, held before the tool runs and
    /// charged when it returns (<see cref="ToolCostHold"/>). A name here wins over a <see cref="ToolCostAttribute"/> on the tool's method.
    /// </summary>
    public IDictionary<string, long> ToolCosts { get; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Gets or sets what tool costs count. Defaults to <see cref="UsageMeter.MicroUsd"/>, the meter model calls are priced in.</summary>
    public UsageMeter ToolCostMeter { get; set; } = UsageMeter.MicroUsd;

    /// <summary>
    /// Gets the settings of the chat gate the middleware inserts when the agent's chat client has none (meter, prices,
    /// estimator, output tokens held per call). Unused when the chat client is already gated with <c>UseAgentBill()</c>.
    /// </summary>
    public AgentBillChatClientOptions Gate { get; } = new();

    /// <summary>The agent label of a run: the options', else the agent's name, else <c>agent</c>.</summary>
    internal string AgentIdOf(AIAgent agent) => AgentId ?? agent.Name ?? "agent";

    internal void Validate()
    {
        if (!Enum.IsDefined(RefusalMode))
        {
            throw new ArgumentOutOfRangeException(nameof(RefusalMode), RefusalMode, "Not a defined refusal mode.");
        }

        if (!Enum.IsDefined(ToolCostMeter))
        {
            throw new ArgumentOutOfRangeException(nameof(ToolCostMeter), ToolCostMeter, "Not a defined meter.");
        }

        ToolCostHold.Validate(ToolCosts, nameof(ToolCosts));
    }
}
