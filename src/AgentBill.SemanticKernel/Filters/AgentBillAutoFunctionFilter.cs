using AgentBill.Extensions.AI;
using AgentBill.Pricing;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>
/// Ends an automatic tool loop when the budget cannot pay for another round: before each automatic tool call, the
/// next round-trip's estimate (the conversation so far and the output cap, at least the last round's tokens) is held
/// and given back at once; when it is refused, the loop is terminated (<c>AutoFunctionInvocationContext.Terminate</c>)
/// with a result that says why, and the tool is not run. A tool whose own cost the budget refuses ends the loop the
/// same way.
/// </summary>
[GatesModelCalls]
public sealed class AgentBillAutoFunctionFilter : IAutoFunctionInvocationFilter
{
    private readonly KernelGate _gate;

    internal AgentBillAutoFunctionFilter(KernelGate gate) => _gate = gate;

    /// <inheritdoc />
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // Inside a connector's own tool loop (the filters hold the prompt function), the answer that asked for this tool
        // carries its round-trip's usage, which the call's settlement must count.
        PromptCall.Current?.SawRound(context.ChatMessageContent);
        if (await NextRoundRefusalAsync(context).ConfigureAwait(false) is { } refusal)
        {
            Terminate(context, refusal);
            return;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refused)
        {
            // A tool whose cost the budget cannot pay: its exception would only be handed to the model, and the loop
            // would go on spending; ending the loop is what stops it.
            Terminate(context, refused.Refusal);
            return;
        }

        // The same refusal answered as a result (AgentBillRefusalMode.ReturnResponse) ends the loop too.
        if (KernelGate.IsRefusal(context.Result))
        {
            context.Terminate = true;
        }
    }

    private static void Terminate(AutoFunctionInvocationContext context, PreflightResult refusal)
    {
        context.Terminate = true;
        context.Result = KernelGate.Refused(context.Function, refusal);
    }

    /// <summary>
    /// The next round's prompt is the last one's plus its answer and the tools' results: its input is at least the
    /// last round's input and output together, whatever the conversation's text alone counts to (tool definitions and
    /// calls are not in it).
    /// </summary>
    private static TokenUsage NotBelowTheLastRound(TokenUsage estimate, AgentBillUsage? prompt)
    {
        // A connector's own loop settles nothing before it ends: its last answer's usage is the round seen last.
        // Otherwise the prompt function's own context (its filter begins one) has seen the loop's round-trips so far.
        long floor;
        if (PromptCall.Current?.LastRound is { } round)
        {
            floor = (round.InputTokenCount ?? 0) + (round.OutputTokenCount ?? 0);
        }
        else if (prompt is not null)
        {
            floor = prompt.LastInputTokens + prompt.LastOutputTokens;
        }
        else
        {
            return estimate;
        }

        return floor > estimate.InputTokens ? new TokenUsage(Math.Min(floor, AgentBillLimits.MaxUnits), 0, estimate.OutputTokens) : estimate;
    }

    /// <summary>Why the next round-trip would be refused, or <see langword="null"/> when the budget can hold it (or it cannot be priced here).</summary>
    private async ValueTask<PreflightResult?> NextRoundRefusalAsync(AutoFunctionInvocationContext context)
    {
        var options = _gate.Options;
        var settings = context.ExecutionSettings;
        var modelId = _gate.ModelOf(settings, context.Kernel);
        var conversation = context.ChatHistory.Select(message => new ChatMessage(new ChatRole(message.Role.Label), message.Content ?? string.Empty)).ToList();
        var estimate = NotBelowTheLastRound(_gate.Estimate(conversation, settings, modelId), AgentBillContext.Current?.Usage);
        // An unpriced model is refused by the gate of the call itself, with its own reason.
        if (_gate.Models.UnitsOf(modelId, estimate) is not { } units)
        {
            return null;
        }

        var parties = _gate.Parties(context.Arguments ?? [], context.Kernel);
        try
        {
            // Held under the agent the round-trip itself will be charged to, so its budget is the one checked.
            var probe = await _gate.Bill.ReserveAsync(
                new PreflightRequest(KernelGate.RoundTripAgent(context.Kernel, parties)) { EstimatedUnits = units, CustomerId = parties.CustomerId, TaskRef = parties.TaskRef, Meter = options.Meter, Ceiling = options.Ceiling },
                context.CancellationToken).ConfigureAwait(false);
            await probe.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (AgentBillRefusedException refused)
        {
            return refused.Refusal;
        }
    }
}
