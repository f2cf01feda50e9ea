namespace AgentBill.Ledger;

/// <summary>
/// The budget that refused a hold, as it stood at that moment: what the client needs to tell the caller whether
/// waiting helps (<see cref="BudgetRules.Advise"/>).
/// </summary>
/// <param name="Key">The refusing budget.</param>
/// <param name="Period">The budget's period kind.</param>
/// <param name="Limit">Its limit.</param>
/// <param name="Used">What its current period has settled.</param>
/// <param name="Reserved">What open holds hold against it.</param>
/// <param name="EarliestHoldExpiry">
/// When the first open hold that can hold this budget (the customer's, or the global scope's for a global budget)
/// returns its units if nobody settles it; <see langword="null"/> when none is open.
/// </param>
public readonly record struct BudgetRefusal(BudgetKey Key, BudgetPeriod Period, long Limit, long Used, long Reserved, DateTimeOffset? EarliestHoldExpiry);
