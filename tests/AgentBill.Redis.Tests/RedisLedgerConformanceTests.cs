using AgentBill.Ledger;
using AgentBill.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>The store conformance suite, unchanged, against a real single redis-server.</summary>
public sealed class RedisLedgerConformanceTests(RedisFixture redis) : BudgetLedgerConformanceTests, IClassFixture<RedisFixture>
{
    protected override bool ReportsOrderEveryCustomer => false;

    protected override ValueTask<IBudgetLedger> CreateLedgerAsync() => new(redis.CreateLedger(time: Time));
}
