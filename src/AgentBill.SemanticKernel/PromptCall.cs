using AgentBill.Extensions.AI;

namespace AgentBill.SemanticKernel;

/// <summary>
/// The hold of one prompt function's model call, when the kernel filters hold it themselves (the kernel's chat
/// service is not a gated chat client): the function filter makes it current around the function, the prompt
/// render filter opens its ticket once the prompt is rendered, and the function filter settles it.
/// </summary>
internal sealed class PromptCall
{
    private static readonly AsyncLocal<PromptCall?> Ambient = new();

    /// <summary>Gets the call of the prompt function running in this flow, when the filters hold it.</summary>
    public static PromptCall? Current => Ambient.Value;

    /// <summary>Gets or sets the call's ticket, opened by the render filter.</summary>
    public ModelCallTicket? Ticket { get; set; }

    /// <summary>Makes a call current until disposed.</summary>
    public static Scope Enter(PromptCall? call)
    {
        var previous = Ambient.Value;
        Ambient.Value = call;
        return new Scope(previous);
    }

    /// <summary>Restores the call that was current before.</summary>
    public readonly struct Scope(PromptCall? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
