using AgentBill.Ledger;
using AgentBill.Testing;

namespace AgentBill.Sqlite.Tests;

/// <summary>The store conformance suite, unchanged, against a fresh temp file per ledger.</summary>
public sealed class SqliteLedgerConformanceTests : BudgetLedgerConformanceTests, IDisposable
{
    private readonly TempLedgerFiles _files = new();

    protected override ValueTask<IBudgetLedger> CreateLedgerAsync() => new(_files.Open(options: new SqliteLedgerOptions { Synchronous = SqliteSynchronous.Normal, TimeProvider = Time }));

    public void Dispose() => _files.Dispose();
}
