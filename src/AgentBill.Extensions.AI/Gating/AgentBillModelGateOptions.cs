namespace AgentBill.Extensions.AI;

/// <summary>
/// What every gate of generated text shares on top of <see cref="AgentBillGateOptions"/>: the output tokens held for a
/// call that names no maximum, and what a refused call does. The chat client's and the kernel filters' options derive
/// from it; derive your own integration's from it too.
/// </summary>
public abstract class AgentBillModelGateOptions : AgentBillGateOptions
{
    /// <summary>
    /// Gets or sets the output tokens held for a call that names no maximum (a chat call's
    /// <see cref="Microsoft.Extensions.AI.ChatOptions.MaxOutputTokens"/>; a kernel prompt function's <c>max_tokens</c>,
    /// <c>max_completion_tokens</c> or <c>max_output_tokens</c> in its execution settings' extension data). Defaults to 4,096.
    /// </summary>
    public int DefaultMaxOutputTokens { get; set; } = 4_096;

    /// <summary>
    /// Gets or sets what a refused call does: <see cref="AgentBillRefusalMode.Throw"/> (the default) throws the refusal;
    /// <see cref="AgentBillRefusalMode.ReturnResponse"/> answers with a message saying why
    /// (<see cref="AgentBillRefusals"/>), without calling the model or the tool.
    /// </summary>
    public AgentBillRefusalMode RefusalMode { get; set; } = AgentBillRefusalMode.Throw;

    /// <inheritdoc />
    protected internal override void Validate()
    {
        base.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DefaultMaxOutputTokens, nameof(DefaultMaxOutputTokens));
        if (!Enum.IsDefined(RefusalMode))
        {
            throw new ArgumentOutOfRangeException(nameof(RefusalMode), RefusalMode, "Not a defined refusal mode.");
        }
    }
}
