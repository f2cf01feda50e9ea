using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>What each of the server's two key scopes may do over the ledger endpoints.</summary>
public sealed class KeyScopeTests
{
    [Fact]
    public async Task A_metering_key_cannot_set_a_budget_and_nothing_changes()
    {
        await using var remote = await RemoteBill.StartAsync(metering: true);
        var alice = BudgetScope.Customer("alice");

        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await remote.Admin.SetBudgetAsync(new Budget(alice, UsageMeter.Units, 5, BudgetPeriod.Lifetime)));

        Assert.Contains("admin key", ex.Message, StringComparison.Ordinal);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Null(await onServer.GetBudgetAsync(alice));
    }

    [Fact]
    public async Task A_metering_key_gates_and_records_against_the_budgets_an_admin_set()
    {
        await using var remote = await RemoteBill.StartAsync(metering: true);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        await onServer.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 5, BudgetPeriod.Lifetime));

        var approved = await remote.Bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice", EstimatedUnits = 5 });
        var refused = await remote.Bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice", EstimatedUnits = 1 });

        Assert.Equal((true, false, RefusalReason.BudgetExhausted), (approved.Approved, refused.Approved, refused.Reason));
        Assert.Equal(5, (await onServer.GetUsageAsync(BudgetScope.Customer("alice"))).Reserved);
    }

    [Fact]
    public async Task An_unknown_key_is_refused_as_unauthorized()
    {
        await using var remote = await RemoteBill.StartAsync();
        await using var stranger = new AgentBillHttpClient(remote.Server.BaseAddress, "agb_" + new string('0', 48));

        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await stranger.GetBudgetAsync(BudgetScope.Customer("alice")));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }
}
