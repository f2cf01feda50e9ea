using AgentBill.InMemory;
using AgentBill.Ledger;
using AgentBill.Testing;

namespace AgentBill.Tests;

/// <summary>The store conformance suite against the embedded in-memory ledger.</summary>
public sealed class InMemoryLedgerConformanceTests : BudgetLedgerConformanceTests
{
    protected override ValueTask<IBudgetLedger> CreateLedgerAsync() => new(new InMemoryBudgetLedger(new InMemoryBudgetLedgerOptions { TimeProvider = Time }));
}
