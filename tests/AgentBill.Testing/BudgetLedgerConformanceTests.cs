using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace AgentBill.Testing;

/// <summary>
/// The invariants of DESIGN §3 that every <see cref="IBudgetLedger"/> keeps. A store's test project derives
/// from this class once and supplies a fresh, isolated ledger; every test here then runs against it.
/// </summary>
public abstract partial class BudgetLedgerConformanceTests
{
    /// <summary>The instant every test starts at: 23 November 2026, noon UTC.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Gets the clock every client of a test shares; tests move it forward explicitly.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>
    /// Creates a ledger that shares no state with any other ledger this method returned (a store over a
    /// shared server uses a fresh key space). Two clients of one test share the ledger returned once.
    /// </summary>
    protected abstract ValueTask<IBudgetLedger> CreateLedgerAsync();

    /// <summary>
    /// Gets whether the store keeps global budgets. A store that cannot (Redis Cluster: a global budget cannot share
    /// a hash slot with every customer) must refuse to set one with <see cref="NotSupportedException"/>, and the
    /// global tests check that refusal instead.
    /// </summary>
    protected virtual bool SupportsGlobalBudgets => true;

    /// <summary>Sets a global budget, or checks the store refuses it clearly; returns whether the test can go on.</summary>
    protected async Task<bool> SetGlobalBudgetOrCheckRefusal(AgentBillClient client, Budget budget)
    {
        if (SupportsGlobalBudgets)
        {
            await client.SetBudgetAsync(budget);
            return true;
        }

        await Assert.ThrowsAsync<NotSupportedException>(async () => await client.SetBudgetAsync(budget));
        return false;
    }

    /// <summary>Creates a client over a ledger with this test's clock.</summary>
    protected AgentBillClient CreateClient(IBudgetLedger ledger, Action<AgentBillOptions>? configure = null)
    {
        var options = new AgentBillOptions();
        configure?.Invoke(options);
        return new AgentBillClient(ledger, options, Time);
    }
}
