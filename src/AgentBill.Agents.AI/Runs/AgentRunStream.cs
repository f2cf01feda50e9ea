using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;

namespace AgentBill.Agents.AI;

/// <summary>
/// A streaming run, as <see cref="ContextRestoringAsyncEnumerable"/> drives it: every step in the run's ambient state;
/// a refusal a step throws ends the run quietly; a run that ended answers the refusal that stopped it (or throws it,
/// in <see cref="AgentBillRefusalMode.Throw"/>) and ends with an update carrying its usage.
/// </summary>
internal sealed class AgentRunStream(AgentRun run, AgentBillRefusalMode refusalMode) : IContextRestoringObserver<AgentResponseUpdate>
{
    private readonly Queue<AgentResponseUpdate> _trailers = new(2);
    private PreflightResult? _thrown;
    private PreflightResult? _answered;

    public AgentBillAmbient Ambient => run.Ambient;

    public ValueTask<bool> StartAsync(CancellationToken cancellationToken) => ValueTask.FromResult(true);

    public void StepStarting()
    {
    }

    public void StepEnded()
    {
    }

    public ValueTask OnItemAsync(AgentResponseUpdate item, CancellationToken cancellationToken)
    {
        _answered ??= RunRefusals.Of(run, item.AdditionalProperties);
        return ValueTask.CompletedTask;
    }

    public bool EndsStream(Exception error)
    {
        if (error is not AgentBillRefusedException refusal)
        {
            return false;
        }

        _thrown = refusal.Refusal;
        return true;
    }

    public ValueTask EndAsync(ContextRestoringStreamEnd end)
    {
        // Abandoned or failed: the agent's stream is disposed, so nothing stays held; nothing more is said.
        if (!end.Completed)
        {
            return ValueTask.CompletedTask;
        }

        if ((_thrown ?? _answered ?? run.StoppedBy) is { } refusal)
        {
            if (refusalMode == AgentBillRefusalMode.Throw)
            {
                throw RunRefusals.Exception(refusal, run);
            }

            if (_answered is null)
            {
                // A chat gate that answered the refusal itself already streamed the message.
                _trailers.Enqueue(RunRefusals.Update(refusal));
            }
        }

        _trailers.Enqueue(new AgentResponseUpdate { AdditionalProperties = new() { [AgentBillAgentPropertyNames.RunUsage] = run.Usage() } });
        return ValueTask.CompletedTask;
    }

    public bool TryTakeTrailer(out AgentResponseUpdate item) => _trailers.TryDequeue(out item!);
}
