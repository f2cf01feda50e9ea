using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// Function-invocation middleware that charges a tool's cost with <see cref="ToolCostHold"/>: held before the tool runs,
/// against the run's customer, task and ceiling (the ambient run context), charged when it returns, released when it
/// throws or is cancelled. A cost the budget cannot hold is not run: the tool loop is terminated and the run ends with
/// the refusal.
/// </summary>
internal sealed class ToolCostMiddleware(IAgentBill bill, IDictionary<string, long> costs, UsageMeter meter, string agentId)
{
    public async ValueTask<object?> InvokeAsync(
        AIAgent agent, FunctionInvocationContext context, Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next, CancellationToken cancellationToken)
    {
        if (ToolCostHold.CostOf(costs, pluginName: null, context.Function.Name, context.Function.UnderlyingMethod) is not { } cost)
        {
            return await next(context, cancellationToken).ConfigureAwait(false);
        }

        // No customer or task named: the run's context names them.
        var run = await ToolCostHold.RunAsync(
            bill,
            new PreflightRequest(AgentBillContext.Current?.AgentId ?? agentId) { EstimatedUnits = cost, Meter = meter },
            (Context: context, Next: next),
            static (state, ct) => state.Next(state.Context, ct),
            cancellationToken).ConfigureAwait(false);
        if (run.Refused is not { } refused)
        {
            return run.Result;
        }

        // A function's exception would only be handed to the model; ending the loop is what stops the spending.
        AgentRun.Current()?.Stop(refused.Refusal);
        context.Terminate = true;
        return AgentBillRefusals.ToolText(context.Function.Name, refused.Refusal);
    }
}
