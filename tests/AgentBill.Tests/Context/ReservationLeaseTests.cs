using AgentBill.Ledger;

namespace AgentBill.Tests.Context;

/// <summary>The lease contract: any <see cref="IAgentBill"/> can return its own <see cref="Reservation"/>, and the base keeps the rules.</summary>
public sealed class ReservationLeaseTests
{
    [Fact]
    public async Task A_lease_of_another_implementation_drives_a_gated_call()
    {
        var bill = new FakeBill();

        var gate = await GateScope.EnterAsync(bill, new PreflightRequest("researcher") { EstimatedUnits = 8, CustomerId = "acme" });
        gate.Begin();
        GateUsage.Report(6);
        await gate.CompleteAsync();
        await gate.DisposeAsync();

        var lease = Assert.Single(bill.Leases);
        Assert.Equal([6L], lease.Commits);
        Assert.True(lease.IsClosed);
        Assert.Equal(0, lease.Releases);
    }

    [Fact]
    public async Task An_invalid_commit_is_refused_before_the_handle_changes()
    {
        var lease = new FakeLease(Approved("acme", 10));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("actualUnits", async () => await lease.CommitAsync(-1));
        await lease.CommitAsync(5);

        Assert.Equal([5L], lease.Commits);
    }

    [Fact]
    public async Task A_commit_that_fails_leaves_the_handle_open_so_the_same_commit_can_be_retried()
    {
        var lease = new FakeLease(Approved("acme", 10)) { FailNextCommit = true };

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await lease.CommitAsync(7));
        Assert.False(lease.IsClosed);
        await lease.CommitAsync(7);

        Assert.Equal([7L, 7L], lease.Commits);
        Assert.True(lease.IsClosed);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await lease.CommitAsync(7));
    }

    [Fact]
    public async Task Disposing_an_uncommitted_lease_releases_it_once()
    {
        var lease = new FakeLease(Approved("acme", 10));

        await lease.DisposeAsync();
        await lease.DisposeAsync();

        Assert.Equal(1, lease.Releases);
        Assert.False(await lease.ExtendAsync());
    }

    [Fact]
    public void A_lease_cannot_be_made_from_a_refusal()
        => Assert.Throws<ArgumentException>("result", () => new FakeLease(Approved("acme", 10) with { Approved = false }));

    private static PreflightResult Approved(string customer, long units) => new()
    {
        Approved = true,
        EstimatedUnits = units,
        CustomerId = customer,
        AgentId = "researcher",
        ReservationId = "lease-1",
    };

    /// <summary>A lease that only remembers what it was asked to do, as a test fake or a remote client's would.</summary>
    private sealed class FakeLease(PreflightResult result) : Reservation(result)
    {
        public List<long> Commits { get; } = [];

        public int Releases { get; private set; }

        public bool FailNextCommit { get; set; }

        protected override ValueTask<RecordResult> CommitCoreAsync(long actualUnits, CancellationToken cancellationToken)
        {
            Commits.Add(actualUnits);
            if (FailNextCommit)
            {
                FailNextCommit = false;
                return ValueTask.FromException<RecordResult>(new AgentBillUnavailableException("down"));
            }

            return new(new RecordResult { Units = actualUnits, SettledReservationId = Id });
        }

        protected override ValueTask<TopUpResult> TopUpCoreAsync(long units, CancellationToken cancellationToken)
            => new(new TopUpResult { Approved = true, HeldUnits = HeldUnits + units });

        protected override ValueTask<bool> ExtendCoreAsync(CancellationToken cancellationToken) => new(true);

        protected override ValueTask ReleaseCoreAsync(CancellationToken cancellationToken)
        {
            Releases++;
            return default;
        }
    }

    /// <summary>An <see cref="IAgentBill"/> that approves everything with its own leases.</summary>
    private sealed class FakeBill : IAgentBill
    {
        public List<FakeLease> Leases { get; } = [];

        public ValueTask<Reservation> ReserveAsync(PreflightRequest request, CancellationToken cancellationToken = default)
        {
            var lease = new FakeLease(Approved(request.CustomerId ?? "default", request.EstimatedUnits));
            Leases.Add(lease);
            return new(lease);
        }

        public ValueTask<PreflightResult> PreflightAsync(PreflightRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<RecordResult> RecordAsync(RecordRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> ReleaseAsync(string reservationId, string? customerId = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<TopUpResult> TopUpAsync(string reservationId, long units, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<DateTimeOffset?> ExtendAsync(string reservationId, string? customerId = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
