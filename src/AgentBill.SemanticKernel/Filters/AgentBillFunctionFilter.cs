using System.Runtime.ExceptionServices;
using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionInvocationContext = Microsoft.SemanticKernel.FunctionInvocationContext;

namespace AgentBill.SemanticKernel;

/// <summary>
/// Gates kernel functions. Every function runs in an <see cref="AgentBillContext"/> naming the customer and task its
/// arguments name (else the ambient ones), so model calls inside it are charged to them. A prompt function's model
/// call is held and settled by a gated chat client when the kernel's chat client has one (exactly one hold per
/// round-trip); otherwise this filter holds it (its estimate is taken once the prompt is rendered, by
/// <see cref="AgentBillPromptRenderFilter"/>) and settles it from the usage the result carries. A native function with
/// a cost (<see cref="AgentBillKernelOptions.ToolCosts"/>, <see cref="ToolCostAttribute"/>) is held and charged
/// like a <c>[Gate]</c> method.
/// </summary>
[GatesModelCalls]
public sealed class AgentBillFunctionFilter : IFunctionInvocationFilter
{
    private readonly KernelGate _gate;

    internal AgentBillFunctionFilter(KernelGate gate) => _gate = gate;

    /// <inheritdoc />
    /// <exception cref="AgentBillRefusedException">The budget refused the function or its model call, in <see cref="AgentBillRefusalMode.Throw"/>.</exception>
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // A function a provider's own tool loop runs is not part of the model call around it: its calls are gated.
        using var betweenCalls = ModelCallGate.BetweenCalls();
        using var named = KernelGate.Name(context.Arguments);

        // Who pays is decided here, once, and made ambient for everything the function does: a gated chat client
        // inside it, the tool loop filter and the function's own hold then charge one customer, task and agent (the
        // kernel's CustomerIdSelector included, which a chat client's gate knows nothing of). The context also adds
        // up the function's round-trips, for the tool loop filter to judge the next one by.
        // The agent is left to the chat client's gate when it holds the round-trips: it names its own.
        var parties = _gate.Parties(context.Arguments, context.Kernel);
        var gated = KernelGate.ModelCallsAreGated(context.Kernel);
        using var own = AgentBillContext.Begin(parties.CustomerId, parties.TaskRef, gated ? null : parties.AgentId);
        if (!KernelGate.IsPrompt(context.Function))
        {
            await (_gate.CostOf(context.Function) is { } cost ? CostedAsync(context, next, cost, parties) : next(context)).ConfigureAwait(false);
            return;
        }

        var call = gated ? null : new PromptCall(_gate.Models.Meter);
        if (context.IsStreaming)
        {
            using (call is null ? ModelCallGate.BetweenCalls() : ModelCallGate.EnterCall(call))
            {
                await next(context).ConfigureAwait(false);
            }

            // The stream runs when it is read, after this returns: it charges the parties of now, and settles at its end.
            context.Result = new FunctionResult(context.Result, Streams.Wrap(context.Result.GetValue<object>(), _gate.Models, call));
            return;
        }

        await PromptAsync(context, next, call, own).ConfigureAwait(false);
    }

    private async Task PromptAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next, PromptCall? call, AgentBillContext own)
    {
        if (call is null)
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (AgentBillRefusedException refused) when (own.Usage.ModelCalls > 0)
            {
                // A later round-trip of the function's tool loop refused by the gated chat client (a paid tool left too
                // little, or a budget the loop filter's check could not see): the loop has ended, and the round-trips
                // made are charged. The function answers why, as the loop filter's own stop does, in either mode.
                context.Result = KernelGate.Refused(context.Function, refused.Refusal);
            }

            return;
        }

        // The gate's runner: in flight throughout, the hold (opened once the prompt is rendered) kept alive while the
        // model works, released when the call fails, charged its hold when it is cancelled after it was sent.
        await _gate.Models.CallAsync(
            call,
            (Context: context, Next: next),
            static async (state, _) =>
            {
                await state.Next(state.Context).ConfigureAwait(false);
                return true;
            },
            context.CancellationToken).ConfigureAwait(false);

        if (call.Ticket is not { } ticket)
        {
            return;
        }

        var result = context.Result;
        var output = result.GetValue<object>() switch
        {
            ChatResponse response => response.Messages,
            _ => [new ChatMessage(ChatRole.Assistant, result.ToString())],
        };
        var settlement = await _gate.Models.SettleAsync(ticket, ModelCallOutcome.Completed(call.Total(KernelUsage.Of(result)), (result.GetValue<object>() as ChatResponse)?.ModelId, output)).ConfigureAwait(false);
        context.Result = WithSettlement(result, settlement);
    }

    private async Task CostedAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next, long cost, ModelCallParties parties)
    {
        var run = await ToolCostHold.RunAsync(
            _gate.Bill,
            new PreflightRequest(parties.AgentId) { EstimatedUnits = cost, CustomerId = parties.CustomerId, TaskRef = parties.TaskRef, Meter = _gate.Options.ToolCostMeter },
            (Context: context, Next: next),
            static async (state, _) =>
            {
                await state.Next(state.Context).ConfigureAwait(false);
                return true;
            },
            context.CancellationToken).ConfigureAwait(false);
        if (run.Refused is not { } refused)
        {
            return;
        }

        if (_gate.Options.RefusalMode != AgentBillRefusalMode.ReturnResponse)
        {
            ExceptionDispatchInfo.Throw(refused);
        }

        // Not run: the answer says why (and the tool loop filter ends the loop on it).
        context.Result = KernelGate.RefusedTool(context.Function, refused.Refusal);
    }

    /// <summary>The result again, with what the call was charged in its metadata (under the <c>agentbill.*</c> keys).</summary>
    internal static FunctionResult WithSettlement(FunctionResult result, ModelCallSettlement settlement)
    {
        var properties = new AdditionalPropertiesDictionary();
        if (result.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                properties[key] = value;
            }
        }

        settlement.WriteTo(properties);
        return new FunctionResult(result.Function, result.GetValue<object>(), result.Culture, properties);
    }
}
