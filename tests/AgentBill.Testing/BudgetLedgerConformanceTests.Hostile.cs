using AgentBill.Ledger;
using Xunit;

namespace AgentBill.Testing;

/// <summary>Retries, outages and hostile callers: no usage lost, none charged twice, none dodged (issue 12).</summary>
public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Reservation_ids_cannot_be_guessed_from_the_ones_a_caller_sees()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        var ids = new List<string>();
        for (var i = 0; i < 500; i++)
        {
            ids.Add((await client.PreflightAsync("researcher", 0, "acme")).ReservationId!);
        }

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // A process prefix and a counter would share their first half, or their last: 128 random bits share neither.
        Assert.Equal(ids.Count, ids.Select(id => id[..16]).Distinct().Count());
        Assert.Equal(ids.Count, ids.Select(id => id[16..]).Distinct().Count());
    }

    [Fact]
    public async Task A_record_naming_a_hold_before_it_exists_never_changes_what_that_hold_may_do()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        const string Guessed = "0123456789abcdef0123456789abcdef";

        var early = await ledger.ChargeAsync(new ChargeCommand(Call("acme", "a"), 0, Guessed), CancellationToken.None);
        var held = await ledger.ReserveAsync(new ReserveCommand(Call("acme", "a"), Guessed, 10, Time.GetUtcNow().AddMinutes(5)), CancellationToken.None);
        var settled = await ledger.ChargeAsync(new ChargeCommand(Call("acme", "a"), 7, Guessed), CancellationToken.None);

        Assert.Null(early.SettledReservationId);
        Assert.True(held.Approved);
        Assert.Equal((Guessed, 10L, false), (settled.SettledReservationId, settled.ReleasedUnits, settled.IsReplay));
        var usage = await client.GetUsageAsync(BudgetScope.Customer("acme"));
        Assert.Equal((7L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_record_naming_a_hold_its_handle_already_committed_replays_even_an_hour_later()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await using var reservation = await client.ReserveAsync("researcher", 10, "acme");
        await reservation.CommitAsync(7);

        Time.Advance(TimeSpan.FromHours(1));
        var redelivered = await client.RecordAsync(new RecordRequest("researcher", 7) { CustomerId = "acme", ReservationId = reservation.Id });

        Assert.True(redelivered.IsReplay);
        Assert.Equal(7, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task A_record_naming_a_hold_repeated_after_the_client_retry_window_still_replays()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var hold = await client.PreflightAsync("researcher", 10, "acme");
        var record = new RecordRequest("researcher", 6) { CustomerId = "acme", ReservationId = hold.ReservationId };

        await client.RecordAsync(record);
        Time.Advance(TimeSpan.FromSeconds(40));
        var again = await client.RecordAsync(record);
        Time.Advance(TimeSpan.FromMinutes(30));
        var later = await client.RecordAsync(record);

        Assert.True(again.IsReplay);
        Assert.True(later.IsReplay);
        Assert.Equal(6, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    public static TheoryData<string, UsageMeter, string?> Disagreements => new()
    {
        { "researcher", UsageMeter.MicroUsd, null },
        { "other-agent", UsageMeter.Units, null },
        { "researcher", UsageMeter.Units, "other-task" },
    };

    [Theory]
    [MemberData(nameof(Disagreements))]
    public async Task A_record_that_names_a_hold_must_agree_with_its_meter_agent_and_task(string agent, UsageMeter meter, string? task)
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        var hold = await client.PreflightAsync("researcher", 10, "acme");

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await client.RecordAsync(new RecordRequest(agent, 5_000_000) { CustomerId = "acme", Meter = meter, TaskRef = task, ReservationId = hold.ReservationId }));

        Assert.Equal("request", ex.ParamName);
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Customer("acme"), meter)).Used);
        Assert.Single(await client.GetOpenHoldsAsync("acme"));
    }

    [Fact]
    public async Task A_record_without_an_id_settles_only_a_hold_of_its_own_task()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var first = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "t1", EstimatedUnits = 10 });

        var other = await client.RecordAsync(new RecordRequest("researcher", 4) { CustomerId = "acme", TaskRef = "t2" });
        var own = await client.RecordAsync(new RecordRequest("researcher", 3) { CustomerId = "acme", TaskRef = "t1" });

        Assert.Null(other.SettledReservationId);
        Assert.Equal(first.ReservationId, own.SettledReservationId);
        Assert.Equal(4, (await client.GetUsageAsync(BudgetScope.Task("acme", "t2"))).Used);
        Assert.Equal(3, (await client.GetUsageAsync(BudgetScope.Task("acme", "t1"))).Used);
    }

    [Fact]
    public async Task Sums_saturate_at_the_largest_exact_total_and_say_so_and_a_saturated_budget_refuses()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        var results = new List<RecordResult>();
        for (var i = 0; i < 10; i++)
        {
            results.Add(await client.RecordAsync("researcher", 1_000_000_000_000_000, "acme"));
        }

        var after = await client.PreflightAsync("researcher", 50, "acme");

        Assert.Equal([false, false, false, false, false, false, false, false, false, true], results.Select(r => r.IsSaturated));
        Assert.All(results, r => Assert.True(r.IsOverrun));
        Assert.Equal(BudgetRules.MaxTotal, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
        Assert.False(after.Approved);
        Assert.Equal(0, after.RemainingUnits);
    }

    [Fact]
    public async Task A_customer_named_in_composed_or_decomposed_form_is_one_customer()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        await client.RecordAsync("researcher", 4, "Caf\u00e9");
        await client.RecordAsync("researcher", 5, "Cafe\u0301");

        Assert.Equal(9, (await client.GetUsageAsync(BudgetScope.Customer("Caf\u00e9"))).Used);
        Assert.Equal(9, (await client.GetUsageAsync(BudgetScope.Customer("Cafe\u0301"))).Used);
    }

    /// <summary>A call as the client would send it now, for tests that drive the ledger directly.</summary>
    protected LedgerCall Call(string customerId, string agentId) => new()
    {
        CustomerId = customerId,
        AgentId = agentId,
        Meter = UsageMeter.Units,
        Now = Time.GetUtcNow(),
        Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(Time.GetUtcNow()),
        RememberUntil = Time.GetUtcNow().AddHours(24),
    };
}
