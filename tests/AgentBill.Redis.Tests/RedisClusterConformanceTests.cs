using AgentBill.Ledger;
using AgentBill.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>
/// The store conformance suite, unchanged, on a three-master Redis Cluster. Global budgets cannot share a slot
/// with every customer, so the global tests check that the store refuses them with NotSupportedException.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterConformanceTests(RedisClusterFixture cluster) : BudgetLedgerConformanceTests
{
    protected override bool SupportsGlobalBudgets => false;

    protected override bool ReportsOrderEveryCustomer => false;

    protected override ValueTask<IBudgetLedger> CreateLedgerAsync() => new(cluster.CreateLedger(time: Time));
}
