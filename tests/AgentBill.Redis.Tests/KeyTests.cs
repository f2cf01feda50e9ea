using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>Ids that look alike, or carry Redis's own syntax, never share or reach another customer's keys.</summary>
public sealed class KeyTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly string[] Customers =
    [
        "plain", "{plain}", "}plain{", "pl:ain", "plain*", "pl ain", "plaín", "客户", new string('x', 128), "{", "}", "*", ":",
        // Unpaired surrogates are legal ids; plain UTF-8 would turn all three into the same U+FFFD bytes.
        "\uD800", "\uDBFF", "\uDC00", "\uD83D\uDE00",
    ];

    [Fact]
    public async Task Every_key_belongs_to_exactly_one_customer_and_customers_never_collide()
    {
        var prefix = "k" + Guid.NewGuid().ToString("N");
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix));
        for (var index = 0; index < Customers.Length; index++)
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Customer(Customers[index]), UsageMeter.Units, 100, BudgetPeriod.Month));
            await bill.RecordAsync("agent:{x}", index + 1, Customers[index]);
            await bill.PreflightAsync("agent:{x}", 5, Customers[index]);
        }

        var owners = KeysUnder(prefix).Where(KeyOwner.IsCustomers).Select(KeyOwner.Of).ToList();

        // Each customer's keys carry its own tag and decode back to it; no key is shared or left without an owner.
        Assert.Equal(Customers.Order(StringComparer.Ordinal), owners.Distinct().Order(StringComparer.Ordinal));
        for (var index = 0; index < Customers.Length; index++)
        {
            var usage = await bill.GetUsageAsync(BudgetScope.Customer(Customers[index]));
            Assert.Equal((index + 1L, 5L), (usage.Used, usage.Reserved));
        }
    }

    [Fact]
    public async Task Every_operation_of_one_customer_leaves_every_other_customers_keys_byte_for_byte_unchanged()
    {
        var prefix = "u" + Guid.NewGuid().ToString("N");
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix));
        foreach (var customer in Customers)
        {
            await bill.SetBudgetAsync(new Budget(BudgetScope.Agent(customer, "agent"), UsageMeter.Units, 100, BudgetPeriod.Month));
            await bill.RecordAsync("agent", 3, customer);
            await bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = customer, EstimatedUnits = 4, IdempotencyKey = "same-key" });
        }

        var acting = Customers[1];
        var before = await SnapshotAsync(prefix);

        await bill.SetBudgetAsync(new Budget(BudgetScope.Task(acting, "job"), UsageMeter.Units, 50, BudgetPeriod.Day));
        var held = await bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = acting, TaskRef = "job", EstimatedUnits = 10, IdempotencyKey = "same-key-2" });
        await bill.TopUpAsync(held.ReservationId!, 5, acting);
        await bill.ExtendAsync(held.ReservationId!, acting);
        await bill.RecordAsync(new RecordRequest("agent", 12) { CustomerId = acting, TaskRef = "job", ReservationId = held.ReservationId, IdempotencyKey = "same-key" });
        var released = await bill.PreflightAsync("agent", 1, acting);
        await bill.ReleaseAsync(released.ReservationId!, acting);
        await bill.ResetUsageAsync(BudgetScope.Agent(acting, "agent"));
        await bill.RemoveBudgetAsync(BudgetScope.Task(acting, "job"));
        await bill.GetOpenHoldsAsync(acting);
        var after = await SnapshotAsync(prefix);

        var changed = after.Keys.Union(before.Keys).Where(key => !before.TryGetValue(key, out var old) || !after.TryGetValue(key, out var now) || !old.SequenceEqual(now));
        Assert.All(changed, key => Assert.Equal(acting, KeyOwner.Of(key)));
        Assert.Contains(after.Keys.Where(KeyOwner.IsCustomers), key => KeyOwner.Of(key) == acting);
    }

    [Fact]
    public async Task Agents_whose_ids_differ_only_in_an_unpaired_surrogate_keep_separate_budgets()
    {
        await using var bill = new AgentBillClient(redis.CreateLedger());
        await bill.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "\uD800"), UsageMeter.Units, 5, BudgetPeriod.Month));

        var lookalike = await bill.PreflightAsync("\uDBFF", 50, "acme");
        var limited = await bill.PreflightAsync("\uD800", 50, "acme");

        Assert.True(lookalike.Approved);
        Assert.Equal((false, "\uD800"), (limited.Approved, limited.RefusedBy!.Value.Scope.Name));
    }

    [Fact]
    public async Task Open_holds_read_back_ids_with_unpaired_surrogates_exactly()
    {
        await using var bill = new AgentBillClient(redis.CreateLedger());
        await bill.PreflightAsync(new PreflightRequest("a\uDC00") { CustomerId = "\uD800c", TaskRef = "t\uDBFF", EstimatedUnits = 1 });

        var hold = Assert.Single(await bill.GetOpenHoldsAsync("\uD800c"));

        Assert.Equal(("a\uDC00", "t\uDBFF"), (hold.AgentId, hold.TaskRef));
    }

    private IEnumerable<string> KeysUnder(string prefix)
        => redis.Connection.GetServer(redis.Server.EndPoint).Keys(pattern: prefix + ":*", pageSize: 100).Select(key => (string)key!);

    /// <summary>Every key under a prefix (found with SCAN) with its serialized value.</summary>
    private async Task<Dictionary<string, byte[]>> SnapshotAsync(string prefix)
    {
        var database = redis.Connection.GetDatabase();
        var snapshot = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var key in KeysUnder(prefix))
        {
            snapshot[key] = (await database.KeyDumpAsync(key))!;
        }

        return snapshot;
    }
}
