using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AgentBill.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Preflights_are_counted_by_outcome_and_reason()
    {
        using var meters = new Meters();
        await using var client = new AgentBillClient(options: new AgentBillOptions { Ceiling = 10 }, meterFactory: meters.Factory);
        using var preflights = meters.Collect("agentbill.preflights");

        await client.PreflightAsync("researcher", 5);
        await client.PreflightAsync("researcher", 50);

        var measurements = preflights.GetMeasurementSnapshot();
        Assert.Equal(2, measurements.Count);
        Assert.Equal(["approved/None", "refused/CeilingExceeded"], measurements.Select(m => $"{m.Tags["agentbill.outcome"]}/{m.Tags["agentbill.reason"]}").Order());
        Assert.All(measurements, m => Assert.False(m.Tags.ContainsKey("agentbill.customer_id")));
    }

    [Fact]
    public async Task A_fail_open_approval_is_counted_as_degraded()
    {
        using var meters = new Meters();
        await using var client = new AgentBillClient(new DownLedger(), new AgentBillOptions { FailureMode = AgentBillFailureMode.FailOpen }, meterFactory: meters.Factory);
        using var degraded = meters.Collect("agentbill.preflights.degraded");

        await client.PreflightAsync("researcher", 5);

        Assert.Equal(1, degraded.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task A_preflight_is_traced_without_the_customer()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentBillDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Other tests run in parallel: keep only this test's activities, by an agent id no other test uses.
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("agentbill.agent_id"), "traced-agent"))
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var client = new AgentBillClient();

        await client.PreflightAsync("traced-agent", 5, "secret-customer");

        var activity = Assert.Single(activities);
        Assert.Equal("agentbill.preflight", activity.OperationName);
        Assert.Equal(true, activity.GetTagItem("agentbill.approved"));
        Assert.DoesNotContain(activity.TagObjects, tag => Equals(tag.Value, "secret-customer"));
    }

    /// <summary>A meter factory of this test's own, so parallel tests' measurements never mix in.</summary>
    private sealed class Meters : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

        public MetricCollector<long> Collect(string instrument) => new(Factory, AgentBillDiagnostics.Name, instrument);

        public void Dispose() => _services.Dispose();
    }

    private sealed class DownLedger : DelegatingLedger
    {
        public override ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
            => ValueTask.FromException<ReserveOutcome>(new AgentBillUnavailableException("down"));
    }
}
