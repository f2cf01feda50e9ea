using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AgentBill.SemanticKernel;

/// <summary>
/// The hold of one prompt function's model call, when the kernel filters hold it themselves (the kernel's chat
/// service is not a gated chat client): the function filter makes it current around the function, the prompt
/// render filter opens its ticket once the prompt is rendered, and the function filter settles it. A connector that runs
/// the tool loop itself makes several round-trips inside that one call, and its result reports only the last one's
/// usage: the loop filter hands over each earlier round's answer (it carries that round's usage), so the call is
/// settled with the usage of every round.
/// </summary>
/// <remarks>It is the call in flight (<see cref="AgentBillAmbient.Call"/>) while the function runs, and while its stream is read.</remarks>
internal sealed class PromptCall(UsageMeter meter) : PendingModelCall(meter)
{
    private readonly List<UsageDetails?> _rounds = [];
    private readonly HashSet<ChatMessageContent> _seen = new(ReferenceEqualityComparer.Instance);

    /// <summary>Gets the call of the prompt function running in this flow, when the filters hold it.</summary>
    public static PromptCall? Current => AgentBillAmbient.Current.Call as PromptCall;

    /// <summary>The usage of the last round-trip the loop filter saw, or <see langword="null"/>.</summary>
    public UsageDetails? LastRound { get; private set; }

    /// <summary>
    /// A round-trip of a connector's own tool loop ended asking for tools: its answer, with its usage. The tools one
    /// answer asks for share it, so each answer counts once.
    /// </summary>
    public void SawRound(ChatMessageContent? answer)
    {
        if (answer is null || !_seen.Add(answer))
        {
            return;
        }

        LastRound = KernelUsage.From(answer.Metadata);
        _rounds.Add(LastRound);
    }

    /// <summary>
    /// The usage of the whole call: every earlier round's and the final result's, or <see langword="null"/> when one
    /// of them reported none (the call is then charged its hold, flagged, rather than less than it used).
    /// </summary>
    public UsageDetails? Total(UsageDetails? final)
    {
        if (_rounds.Count == 0 || final is null || _rounds.Any(round => round is null))
        {
            return _rounds.Count == 0 ? final : null;
        }

        var total = new UsageDetails();
        foreach (var round in _rounds)
        {
            total.Add(round!);
        }

        total.Add(final);
        return total;
    }
}
