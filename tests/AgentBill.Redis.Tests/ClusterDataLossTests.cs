namespace AgentBill.Redis.Tests;

/// <summary>On a cluster each slot has its own marker: one lost where this process had seen it means that node's data was lost.</summary>
[Collection(RedisClusterCollection.Name)]
public sealed class ClusterDataLossTests(RedisClusterFixture cluster)
{
    [Fact]
    public async Task A_slot_whose_marker_vanished_refuses_until_acknowledged_and_other_slots_go_on()
    {
        var prefix = "d" + Guid.NewGuid().ToString("N");
        var options = new RedisLedgerOptions { KeyPrefix = prefix, Clock = RedisClock.Client };
        var ledger = new RedisBudgetLedger(cluster.Connection, options);
        await using var bill = new AgentBillClient(ledger);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));
        await bill.RecordAsync("researcher", 100, "acme");

        // What a node that restarted empty would show for acme's slot: its marker (and acme's keys) gone.
        var database = cluster.Connection.GetDatabase();
        var slot = RedisSlots.SlotOf(RedisKeys.CustomerTag("acme"));
        await database.KeyDeleteAsync([$"{prefix}:{RedisSlots.TagOf(slot)}:marker", $"{prefix}:{RedisKeys.CustomerTag("acme")}:b"]);

        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await bill.PreflightAsync("researcher", 1, "acme"));
        await using var later = new AgentBillClient(new RedisBudgetLedger(cluster.Connection, options));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await later.PreflightAsync("researcher", 1, "acme"));
        var elsewhere = Enumerable.Range(0, 100).Select(i => "other-" + i).First(id => RedisSlots.SlotOf(RedisKeys.CustomerTag(id)) != slot);
        Assert.True((await bill.PreflightAsync("researcher", 1, elsewhere)).Approved);

        await ledger.AcknowledgeDataLossAsync();
        Assert.True((await bill.PreflightAsync("researcher", 1, "acme")).Approved);
        Assert.True((await later.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task Without_creation_on_first_use_a_process_that_never_saw_a_slot_refuses_when_its_marker_is_gone()
    {
        var prefix = "q" + Guid.NewGuid().ToString("N");
        var options = new RedisLedgerOptions { KeyPrefix = prefix, Clock = RedisClock.Client, CreateLedgerOnFirstUse = false };
        await using var uninitialized = new AgentBillClient(new RedisBudgetLedger(cluster.Connection, options));
        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await uninitialized.PreflightAsync("researcher", 1, "acme"));

        await new RedisBudgetLedger(cluster.Connection, options).InitializeAsync();
        await using var bill = new AgentBillClient(new RedisBudgetLedger(cluster.Connection, options));
        Assert.True((await bill.PreflightAsync("researcher", 1, "acme")).Approved);

        // A node that restarted empty: acme's slot marker gone, seen by a process that never called in that slot.
        var slot = RedisSlots.SlotOf(RedisKeys.CustomerTag("acme"));
        await cluster.Connection.GetDatabase().KeyDeleteAsync([$"{prefix}:{RedisSlots.TagOf(slot)}:marker", $"{prefix}:{RedisKeys.CustomerTag("acme")}:b"]);
        await using var later = new AgentBillClient(new RedisBudgetLedger(cluster.Connection, options));
        var elsewhere = Enumerable.Range(0, 100).Select(i => "other-" + i).First(id => RedisSlots.SlotOf(RedisKeys.CustomerTag(id)) != slot);

        await Assert.ThrowsAsync<LedgerDataLostException>(async () => await later.PreflightAsync("researcher", 1, "acme"));
        Assert.True((await later.PreflightAsync("researcher", 1, elsewhere)).Approved);
    }

    [Fact]
    public void Every_slot_has_a_tag_of_its_own_that_the_cluster_agrees_with()
    {
        foreach (var slot in new[] { 0, 1, 5000, 12182, RedisSlots.Count - 1 })
        {
            Assert.Equal(slot, cluster.Connection.HashSlot("x:" + RedisSlots.TagOf(slot) + ":marker"));
        }

        Assert.Equal(cluster.Connection.HashSlot(RedisKeys.CustomerTag("acme")), RedisSlots.SlotOf(RedisKeys.CustomerTag("acme")));
    }
}
