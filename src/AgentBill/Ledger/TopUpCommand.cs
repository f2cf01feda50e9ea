namespace AgentBill.Ledger;

/// <summary>Extra units for an open hold.</summary>
/// <param name="CustomerId">The hold's customer.</param>
/// <param name="ReservationId">The hold.</param>
/// <param name="Units">The extra units.</param>
/// <param name="Now">The current time.</param>
/// <param name="ExpiresAt">The hold's new expiry; an earlier time than the current one is ignored.</param>
/// <param name="DefaultCustomerBudgets">Per meter, the customer budget that applies when none is set; the store uses the hold's meter.</param>
public readonly record struct TopUpCommand(
    string CustomerId,
    string ReservationId,
    long Units,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    IReadOnlyDictionary<UsageMeter, BudgetLimit> DefaultCustomerBudgets);
