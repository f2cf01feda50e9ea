using AgentBill.InMemory;

namespace AgentBill.Tests;

/// <summary>DESIGN §3.7: bad input is refused before any store call, naming the argument, and charges nothing.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string> BadIds => new()
    {
        { "", "must not be empty" },
        { new string('x', 129), "129 characters" },
        { "tab\there", "control character U+0009" },
        { "new\nline", "control character U+000A" },
        { "nul\0", "control character U+0000" },
        { " ", "must not be blank" },
        { "\u00a0\u3000", "must not be blank" },
        { "zero\u200Bwidth", "U+200B, a Format character" },
        { "evil\u202Eeman", "U+202E, a Format character" },
        { "line\u2028break", "U+2028, a LineSeparator character" },
        { "para\u2029break", "U+2029, a ParagraphSeparator character" },
    };

    [Theory]
    [MemberData(nameof(BadIds), DisableDiscoveryEnumeration = true)]
    public async Task A_bad_agent_id_is_refused_by_name(string agentId, string message)
    {
        await AssertRefused("agentId", message, client => client.PreflightAsync(new PreflightRequest(agentId)));
        await AssertRefused("agentId", message, client => client.RecordAsync(agentId, 1));
    }

    [Fact]
    public async Task A_missing_agent_id_is_refused_by_name()
        => await AssertRefused("agentId", "is required", client => client.PreflightAsync(new PreflightRequest(null!)));

    [Theory]
    [MemberData(nameof(BadIds), DisableDiscoveryEnumeration = true)]
    public async Task A_bad_customer_id_is_refused_by_name(string customerId, string message)
    {
        await AssertRefused("customerId", message, client => client.PreflightAsync("researcher", 1, customerId));
        await AssertRefused("customerId", message, client => client.RecordAsync("researcher", 1, customerId));
    }

    [Theory]
    [MemberData(nameof(BadIds), DisableDiscoveryEnumeration = true)]
    public async Task A_bad_task_reference_is_refused_by_name(string taskRef, string message)
        => await AssertRefused("taskRef", message, client => client.PreflightAsync(new PreflightRequest("researcher") { TaskRef = taskRef }));

    [Theory]
    [MemberData(nameof(BadIds), DisableDiscoveryEnumeration = true)]
    public async Task A_bad_idempotency_key_is_refused_by_name(string key, string message)
        => await AssertRefused("idempotencyKey", message, client => client.RecordAsync("researcher", 1, idempotencyKey: key));

    [Theory]
    [InlineData(-1, "must not be negative")]
    [InlineData(long.MinValue, "must not be negative")]
    [InlineData(1_000_000_000_000_001, "must not exceed")]
    [InlineData(long.MaxValue, "must not exceed")]
    public async Task Negative_or_overflowing_units_are_refused_by_name(long units, string message)
    {
        await AssertRefused("estimatedUnits", message, client => client.PreflightAsync("researcher", units));
        await AssertRefused("units", message, client => client.RecordAsync("researcher", units));
        await AssertRefused("ceiling", message, client => client.PreflightAsync("researcher", 1, ceiling: units));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_ttl_that_is_not_positive_is_refused_by_name(int seconds)
        => await AssertRefused("ttl", "must be positive", client => client.PreflightAsync(new PreflightRequest("researcher") { Ttl = TimeSpan.FromSeconds(seconds) }));

    [Fact]
    public async Task An_undefined_meter_is_refused_by_name()
        => await AssertRefused("meter", "not a defined UsageMeter", client => client.PreflightAsync(new PreflightRequest("researcher") { Meter = (UsageMeter)42 }));

    [Fact]
    public async Task Bad_arguments_to_the_reservation_calls_are_refused_by_name()
    {
        await AssertRefused("reservationId", "must not be empty", client => client.ReleaseAsync(""));
        await AssertRefused("units", "must not be negative", client => client.TopUpAsync("r-1", -1));
        await AssertRefused("ttl", "must be positive", client => client.ExtendAsync("r-1", ttl: TimeSpan.Zero));
        await AssertRefused("reservationId", "control character", client => client.RecordAsync(new RecordRequest("researcher", 1) { ReservationId = "a\u0007" }));
    }

    [Fact]
    public void Bad_budgets_are_refused_by_name()
    {
        Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, -1, BudgetPeriod.Month)).ParamName);
        Assert.Equal("scope", Assert.Throws<ArgumentException>(() => new Budget(default, UsageMeter.Units, 1, BudgetPeriod.Month)).ParamName);
        Assert.Equal("period", Assert.Throws<ArgumentOutOfRangeException>(() => new Budget(BudgetScope.Global, UsageMeter.Units, 1, (BudgetPeriod)9)).ParamName);
        Assert.Equal("customerId", Assert.Throws<ArgumentException>(() => BudgetScope.Customer("")).ParamName);
        Assert.Equal("agentId", Assert.Throws<ArgumentException>(() => BudgetScope.Agent("acme", new string('a', 129))).ParamName);
    }

    [Fact]
    public async Task Ids_may_hold_any_other_character()
    {
        await using var client = new AgentBillClient();

        var result = await client.PreflightAsync("agent:{1}*é 客", 1, "customer:{x}* %ü");

        Assert.True(result.Approved);
    }

    /// <summary>Asserts the call throws an ArgumentException naming the argument, and that the store saw nothing.</summary>
    [Fact]
    public async Task Bad_input_fails_the_returned_task_instead_of_throwing_at_the_call()
    {
        await using var client = new AgentBillClient();

        // The fast paths answer without an async method; a failure must still arrive the way an async method's does.
        var preflight = client.PreflightAsync(new PreflightRequest(""));
        var reserve = client.ReserveAsync(new PreflightRequest("researcher") { EstimatedUnits = -1 });
        var record = client.RecordAsync(new RecordRequest("researcher", 1) { CustomerId = "" });

        Assert.Equal("agentId", (await Assert.ThrowsAsync<ArgumentException>(async () => await preflight)).ParamName);
        Assert.Equal("estimatedUnits", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reserve)).ParamName);
        Assert.Equal("customerId", (await Assert.ThrowsAsync<ArgumentException>(async () => await record)).ParamName);
    }

    private static async Task AssertRefused(string paramName, string message, Func<AgentBillClient, ValueTask> call)
    {
        var ledger = new InMemoryBudgetLedger();
        await using var client = new AgentBillClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("default"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await call(client));

        Assert.Equal(paramName, ex.ParamName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        var usage = await client.GetUsageAsync(BudgetScope.Customer("default"));
        Assert.Equal((0L, 0L), (usage.Used, usage.Reserved));
        Assert.Empty(await client.GetOpenHoldsAsync());
    }

    private static Task AssertRefused<T>(string paramName, string message, Func<AgentBillClient, ValueTask<T>> call)
        => AssertRefused(paramName, message, async client => { await call(client); });
}
