namespace AgentBill;

/// <summary>Whether waiting helps a refused call, so a caller knows to retry later, queue, or give up.</summary>
public enum RefusalPersistence
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>
    /// The budget's settled usage leaves room, but runs in flight hold it: a retry may pass once one of them ends
    /// (at the latest when the earliest of those holds expires).
    /// </summary>
    UntilHoldsEnd = 1,

    /// <summary>The budget is spent for its period: a retry passes once the period ends and a new one starts.</summary>
    UntilPeriodEnds = 2,

    /// <summary>
    /// Waiting does not help: the estimate is above a ceiling or above the budget's whole limit, the lifetime budget
    /// is spent, or the model has no price. Only a smaller call or a larger budget gets through.
    /// </summary>
    Permanent = 3,
}
