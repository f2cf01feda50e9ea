namespace AgentBill.Redis.Tests;

/// <summary>On a real cluster: one customer's keys in one slot, and customers spread over every master.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterKeyTests(RedisClusterFixture cluster)
{
    // Fixed ids: a slot depends on the customer alone (the prefix sits outside the hash tag), so the spread is too.
    private static readonly string[] Customers =
    [
        .. Enumerable.Range(0, 24).Select(i => "customer-" + i),
        "{", "}", "{a}", "a:b", "*", "a b", "客户", "\uD800", new string('x', 128),
    ];

    [Fact]
    public async Task Every_key_of_a_customer_sits_in_the_customers_one_slot_and_customers_use_all_three_masters()
    {
        var prefix = "c" + Guid.NewGuid().ToString("N");
        await using var bill = new AgentBillClient(new RedisBudgetLedger(cluster.Connection, new RedisLedgerOptions { KeyPrefix = prefix }));
        foreach (var customer in Customers)
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Agent(customer, "agent"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await bill.RecordAsync("agent", 3, customer);
            await bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = customer, EstimatedUnits = 4, IdempotencyKey = "k" });
        }

        var keysByMaster = cluster.EndPoints.ToDictionary(
            endpoint => endpoint,
            endpoint => cluster.Connection.GetServer(endpoint).Keys(pattern: prefix + ":*", pageSize: 100).Select(key => (string)key!).ToList());
        var slotsByCustomer = keysByMaster.Values.SelectMany(keys => keys)
            .Where(KeyOwner.IsCustomers)
            .GroupBy(KeyOwner.Of)
            .ToDictionary(group => group.Key, group => group.Select(key => cluster.Connection.HashSlot(key)).Distinct().Count());

        Assert.Equal(Customers.Order(StringComparer.Ordinal), slotsByCustomer.Keys.Order(StringComparer.Ordinal));
        Assert.All(slotsByCustomer.Values, slots => Assert.Equal(1, slots));
        Assert.All(keysByMaster.Values, keys => Assert.NotEmpty(keys));

        // Each customer's slot has its loss marker, which its scripts read: the marker sits in the same slot.
        var markerSlots = keysByMaster.Values.SelectMany(keys => keys).Where(key => key.EndsWith(":marker", StringComparison.Ordinal)).Select(key => cluster.Connection.HashSlot(key)).ToHashSet();
        Assert.All(Customers, customer => Assert.Contains(cluster.Connection.HashSlot(RedisKeys.CustomerTag(customer)), markerSlots));
    }
}
