namespace AgentBill.Tests;

public sealed class CeilingTests
{
    [Fact]
    public async Task An_estimate_above_the_client_ceiling_is_refused_without_holding_anything()
    {
        await using var client = new AgentBillClient(options: new AgentBillOptions { Ceiling = 20 });

        var result = await client.PreflightAsync("researcher", estimatedUnits: 21, customerId: "alice");

        Assert.False(result.Approved);
        Assert.Equal(RefusalReason.CeilingExceeded, result.Reason);
        Assert.Null(result.ReservationId);
        Assert.Empty(await client.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task The_tightest_of_client_and_call_ceilings_wins()
    {
        await using var client = new AgentBillClient(options: new AgentBillOptions { Ceiling = 50 });

        var refused = await client.PreflightAsync("researcher", estimatedUnits: 30, ceiling: 25);
        var approved = await client.PreflightAsync("researcher", estimatedUnits: 25, ceiling: 100);

        Assert.Equal(RefusalReason.CeilingExceeded, refused.Reason);
        Assert.True(approved.Approved);
    }

    [Fact]
    public async Task ReserveAsync_throws_CeilingExceededException_carrying_the_result()
    {
        await using var client = new AgentBillClient(options: new AgentBillOptions { Ceiling = 10 });

        var ex = await Assert.ThrowsAsync<CeilingExceededException>(async () => await client.ReserveAsync("researcher", estimatedUnits: 11));

        Assert.NotNull(ex.Result);
        Assert.Equal(11, ex.Result.EstimatedUnits);
    }
}
