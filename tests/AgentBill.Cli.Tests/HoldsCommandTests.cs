using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Cli.Tests;

public sealed class HoldsCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task List_pages_through_the_holds_with_a_cursor()
    {
        var held = await HoldAsync(3);

        var first = await _workspace.SqliteAsync("holds", "list", "alice", "--limit", "2", "--json");
        var second = await _workspace.SqliteAsync("holds", "list", "alice", "--limit", "2", "--cursor", first.Json.GetProperty("nextCursor").GetString()!, "--json");
        var all = await _workspace.SqliteAsync("holds", "list", "alice", "--limit", "2", "--all", "--json");

        Assert.Equal(2, first.Json.GetProperty("holds").GetArrayLength());
        Assert.Equal(1, second.Json.GetProperty("holds").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.Json.GetProperty("nextCursor").ValueKind);
        var ids = first.Json.GetProperty("holds").EnumerateArray().Concat(second.Json.GetProperty("holds").EnumerateArray()).Select(hold => hold.GetProperty("reservationId").GetString()!);
        Assert.Equal(held.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(3, all.Json.GetProperty("holds").GetArrayLength());
    }

    [Fact]
    public async Task Release_frees_one_hold_and_a_second_release_exits_4()
    {
        var held = await HoldAsync(2);

        var release = await _workspace.SqliteAsync("holds", "release", "alice", held[0]);
        var again = await _workspace.SqliteAsync("holds", "release", "alice", held[0]);

        Assert.True(release.ExitCode == 0, release.ToString());
        Assert.Equal(4, again.ExitCode);
        var open = await _workspace.Client().GetOpenHoldsAsync("alice", TestContext.Current.CancellationToken);
        Assert.Equal(held[1], Assert.Single(open).ReservationId);
    }

    [Fact]
    public async Task A_limit_out_of_range_exits_2()
    {
        Assert.Equal(2, (await _workspace.SqliteAsync("holds", "list", "alice", "--limit", "0")).ExitCode);
    }

    [Fact]
    public async Task Release_expired_returns_the_units_of_every_hold_past_its_ttl()
    {
        var ct = TestContext.Current.CancellationToken;
        // Holds made an hour ago with a one-minute TTL: expired by any clock that reads now.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var client = _workspace.Client(past);
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 5, Ttl = TimeSpan.FromMinutes(1) }, ct);
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "bob", EstimatedUnits = 7, Ttl = TimeSpan.FromMinutes(1) }, ct);
        // Another customer's live hold (a call on bob would expire bob's hold by itself, before any sweep).
        var live = await _workspace.Client().PreflightAsync(new PreflightRequest("researcher") { CustomerId = "carol", EstimatedUnits = 3 }, ct);

        var run = await _workspace.SqliteAsync("holds", "release-expired", "--batch", "1", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, run.Json.GetProperty("released").GetInt32());
        Assert.Equal(live.ReservationId, Assert.Single(await _workspace.Client().GetOpenHoldsAsync("carol", ct)).ReservationId);
        Assert.Equal(0, (await _workspace.Client().GetUsageAsync(BudgetScope.Customer("bob"), UsageMeter.Units, cancellationToken: ct)).Reserved);
    }

    private async Task<List<string>> HoldAsync(int count)
    {
        var client = _workspace.Client();
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var result = await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 1 }, TestContext.Current.CancellationToken);
            ids.Add(result.ReservationId!);
        }

        return ids;
    }

    public void Dispose() => _workspace.Dispose();
}
