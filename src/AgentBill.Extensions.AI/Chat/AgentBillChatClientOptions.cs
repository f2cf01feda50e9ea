using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI;

/// <summary>Settings of an <see cref="AgentBillChatClient"/>.</summary>
public sealed class AgentBillChatClientOptions : AgentBillModelGateOptions
{
    /// <summary>Gets or sets the agent label charged for the calls. Defaults to <c>chat</c>.</summary>
    public override string AgentId { get; set; } = "chat";

    /// <summary>
    /// Gets or sets a delegate that names the customer of a call, consulted when neither the call's
    /// <see cref="AgentBillPropertyNames.CustomerId"/> property nor an <see cref="AgentBillContext"/> names one.
    /// Returning <see langword="null"/> charges the client's default customer.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string?>? CustomerIdSelector { get; set; }

    /// <summary>
    /// Gets or sets whether a call without <see cref="ChatOptions.MaxOutputTokens"/> is sent with
    /// <see cref="AgentBillModelGateOptions.DefaultMaxOutputTokens"/>, which makes the hold a true upper bound. Off by default because it
    /// changes the request (a reasoning model may need more); without it a longer answer is still charged in full
    /// and recorded as an overrun.
    /// </summary>
    public bool ApplyDefaultMaxOutputTokens { get; set; }
}
