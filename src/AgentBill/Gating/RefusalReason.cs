namespace AgentBill;

/// <summary>Why a preflight or top-up was refused.</summary>
public enum RefusalReason
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The estimate is above the tightest per-call ceiling. Decided without a store round trip.</summary>
    CeilingExceeded = 1,

    /// <summary>A customer, agent or global budget cannot hold the estimate.</summary>
    BudgetExhausted = 2,

    /// <summary>The task's budget across all its calls cannot hold the estimate.</summary>
    TaskCeilingExceeded = 3,

    /// <summary>The reservation to grow is no longer open (settled, released or expired).</summary>
    ReservationNotOpen = 4,

    /// <summary>The model has no price, and no fallback price is configured: it is never priced at zero.</summary>
    UnknownModel = 5,

    /// <summary>
    /// The <see cref="SpendingCeiling"/> of an <see cref="AgentBillContext"/> (a run's own cap) cannot hold the
    /// estimate after what the run already spent and holds. Decided in the process, without a store round trip.
    /// </summary>
    RunCeilingExceeded = 6,

    /// <summary>
    /// The customer already has <see cref="Ledger.BudgetRules.MaxOpenHoldsPerCustomer"/> open holds: settle, release
    /// or let some expire first. The cap keeps what one customer holds from slowing every later call of its own.
    /// </summary>
    TooManyOpenHolds = 7,
}
