using AgentBill.InMemory;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentBill.Tests;

public sealed class OptionsAndRegistrationTests
{
    [Fact]
    public void AddAgentBill_registers_one_client_over_the_in_memory_store()
    {
        using var provider = new ServiceCollection().AddAgentBill(o => o.Ceiling = 10).Services.BuildServiceProvider();

        var bill = provider.GetRequiredService<IAgentBill>();

        Assert.Same(bill, provider.GetRequiredService<IAgentBillAdmin>());
        Assert.Same(bill, provider.GetRequiredService<AgentBillClient>());
        Assert.IsType<InMemoryBudgetLedger>(provider.GetRequiredService<IBudgetLedger>());
        Assert.Same(provider.GetRequiredService<IBudgetLedger>(), provider.GetRequiredService<IBudgetLedgerReports>());
    }

    [Fact]
    public async Task The_reports_of_a_store_wrapped_for_resilience_are_the_store_itself()
    {
        var store = new InMemoryBudgetLedger();
        using var resilient = new ResilientBudgetLedger(store);
        await using var provider = new ServiceCollection().AddSingleton<IBudgetLedger>(resilient).AddAgentBill().Services.BuildServiceProvider();

        Assert.Same(store, provider.GetRequiredService<IBudgetLedgerReports>());
    }

    [Fact]
    public async Task A_store_without_reports_is_named_when_its_reports_are_asked_for()
    {
        await using var provider = new ServiceCollection().AddSingleton<IBudgetLedger>(new PlainLedger()).AddAgentBill().Services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IBudgetLedgerReports>());

        Assert.Contains(nameof(PlainLedger), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_registered_before_AddAgentBill_is_kept()
    {
        var ledger = new InMemoryBudgetLedger();
        var services = new ServiceCollection().AddSingleton<IBudgetLedger>(ledger);
        services.AddAgentBill();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(ledger, provider.GetRequiredService<IBudgetLedger>());
    }

    [Fact]
    public void Invalid_options_are_refused_when_the_client_is_resolved_naming_every_problem()
    {
        using var provider = new ServiceCollection()
            .AddAgentBill(o =>
            {
                o.ReservationTtl = TimeSpan.Zero;
                o.Ceiling = -1;
                o.AlertThresholds = [0];
                o.RecordAttempts = 0;
            })
            .Services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAgentBill>());

        Assert.Contains("ReservationTtl must be positive.", ex.Failures);
        Assert.Contains("Ceilings[Units] must be between 0 and 1000000000000000.", ex.Failures);
        Assert.Contains("AlertThresholds must hold percentages from 1 to 1000.", ex.Failures);
        Assert.Contains("RecordAttempts must be from 1 to 20.", ex.Failures);
    }

    [Fact]
    public void A_client_created_directly_validates_its_options_too()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new AgentBillClient(options: new AgentBillOptions { DefaultCustomerId = "" }));

        Assert.Contains(ex.Failures, f => f.Contains("DefaultCustomerId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alert_handlers_registered_with_dependency_injection_receive_alerts()
    {
        var handler = new RecordingAlertHandler();
        var services = new ServiceCollection().AddSingleton<IBudgetAlertHandler>(handler);
        services.AddAgentBill();
        var provider = services.BuildServiceProvider();
        var bill = provider.GetRequiredService<AgentBillClient>();
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 10, BudgetPeriod.Month));

        await bill.RecordAsync("researcher", 8, "acme");
        await provider.DisposeAsync();

        Assert.Equal(80, Assert.Single(handler.Alerts).ThresholdPercent);
    }

    private sealed class RecordingAlertHandler : IBudgetAlertHandler
    {
        public List<BudgetAlert> Alerts { get; } = [];

        public ValueTask OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken)
        {
            Alerts.Add(alert);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A ledger that is not a store of many customers: it has no reports.</summary>
    private sealed class PlainLedger : DelegatingLedger;
}
