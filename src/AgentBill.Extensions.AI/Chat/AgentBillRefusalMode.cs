namespace AgentBill.Extensions.AI;

/// <summary>What the chat gate does with a call the budget refuses. Either way the provider is never called.</summary>
public enum AgentBillRefusalMode
{
    /// <summary>
    /// Throw the core exception (<see cref="BudgetExhaustedException"/>, <see cref="CeilingExceededException"/>,
    /// <see cref="Pricing.UnknownModelException"/>). The default; it also ends a tool loop.
    /// </summary>
    Throw = 0,

    /// <summary>
    /// Answer with an assistant message saying the budget refused, finish reason <see cref="AgentBillChatFinishReasons.BudgetRefused"/>
    /// and the refused preflight under <see cref="AgentBillPropertyNames.Refusal"/>. A tool loop ends gracefully on it.
    /// </summary>
    ReturnResponse = 1,
}
