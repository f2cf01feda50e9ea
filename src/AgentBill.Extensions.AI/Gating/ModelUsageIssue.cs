namespace AgentBill.Extensions.AI;

/// <summary>
/// Why a model call's usage was not charged as reported. Anything but <see cref="None"/> means the charge is an
/// upper bound the gate worked out instead (docs/model-call-usage.md), and the response is flagged with
/// <see cref="AgentBillPropertyNames.UsageEstimated"/>. When several apply, the one declared last wins.
/// </summary>
public enum ModelUsageIssue
{
    /// <summary>The provider's usage was complete and consistent, and was charged as reported.</summary>
    None = 0,

    /// <summary>No usage was reported, or a part of it was left out.</summary>
    Missing = 1,

    /// <summary>A count was zero although tokens were sent (input) or output was received.</summary>
    Zero = 2,

    /// <summary>The parts disagreed with the total, or one part was worked out from the total, or a count was negative.</summary>
    Inconsistent = 3,

    /// <summary>The call did not finish: a stream abandoned, cancelled or cut off, or a call cancelled after it was sent.</summary>
    Interrupted = 4,

    /// <summary>
    /// The usage was beyond anything a call can cost: a count above 10^15 (read as the most the call's options allow,
    /// like a missing one), a price above <see cref="AgentBillGateOptions.MaxChargedUnits"/> or 64 bits (the cap was
    /// charged), or a usage that could not be read at all (the hold was charged).
    /// </summary>
    Absurd = 5,
}
