using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// Function-invocation middleware that charges a tool's cost: held before the tool runs, against the run's customer,
/// task and ceiling (the ambient run context), charged when it returns, released when it throws or is cancelled.
/// A cost the budget cannot hold is not run: the tool loop is terminated and the run ends with the refusal.
/// </summary>
internal sealed class ToolCostMiddleware(IAgentBill bill, ToolCosts costs, UsageMeter meter, string agentId)
{
    public async ValueTask<object?> InvokeAsync(
        AIAgent agent, FunctionInvocationContext context, Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>> next, CancellationToken cancellationToken)
    {
        if (costs.Of(context.Function) is not { } cost)
        {
            return await next(context, cancellationToken).ConfigureAwait(false);
        }

        Reservation hold;
        try
        {
            // No customer or task named: the run's context names them.
            hold = await bill.ReserveAsync(new PreflightRequest(AgentBillContext.Current?.AgentId ?? agentId) { EstimatedUnits = cost, Meter = meter }, cancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal)
        {
            // A function's exception would only be handed to the model; ending the loop is what stops the spending.
            AgentRun.Current()?.Stop(refusal.Refusal);
            context.Terminate = true;
            return $"The tool '{context.Function.Name}' was not run: the budget cannot pay for it.";
        }

        await using (hold.ConfigureAwait(false))
        {
            var result = await next(context, cancellationToken).ConfigureAwait(false);
            try
            {
                // The tool ran: it is charged even when the caller has gone.
                await hold.CommitAsync(cost, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AgentBillUnavailableException)
            {
                // The tool's result stands (it ran); the charge that could not be recorded after the client's retries
                // is counted on the run's usage (RecordFailures), never handed to the model as the tool's error.
                AgentBillContext.ReportRecordFailure(AgentBillContext.Current);
            }

            return result;
        }
    }
}
