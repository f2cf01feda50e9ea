using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>
/// Holds a prompt function's model call once its prompt is rendered, when the filters hold it (the kernel's chat
/// client is not gated): the estimate is the rendered prompt's tokens plus the output the execution settings allow.
/// A refusal throws before the model is called, or (in <see cref="AgentBillRefusalMode.ReturnResponse"/>) answers
/// with a message saying why instead of calling it.
/// </summary>
[GatesModelCalls]
public sealed class AgentBillPromptRenderFilter : IPromptRenderFilter
{
    private readonly KernelGate _gate;

    internal AgentBillPromptRenderFilter(KernelGate gate) => _gate = gate;

    /// <inheritdoc />
    /// <exception cref="AgentBillRefusedException">The budget refused the call, in <see cref="AgentBillRefusalMode.Throw"/>.</exception>
    public async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context).ConfigureAwait(false);
        if (PromptCall.Current is not { Ticket: null } call || context.Result is not null)
        {
            return;
        }

        var settings = context.ExecutionSettings;
        var modelId = _gate.ModelOf(settings, context.Kernel);
        var estimate = _gate.Estimate([new ChatMessage(ChatRole.User, context.RenderedPrompt ?? string.Empty)], settings, modelId);
        try
        {
            // Kept alive from now until the function filter's runner settles it.
            await _gate.Models.OpenAsync(call, _gate.Parties(context.Arguments, context.Kernel), modelId, estimate, context.CancellationToken).ConfigureAwait(false);
        }
        catch (AgentBillRefusedException refusal) when (_gate.Options.RefusalMode == AgentBillRefusalMode.ReturnResponse)
        {
            // A result set here is the function's result: the model is not called.
            context.Result = KernelGate.Refused(context.Function, refusal.Refusal);
        }
    }
}
