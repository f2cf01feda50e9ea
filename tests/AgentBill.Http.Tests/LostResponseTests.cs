using AgentBill.Server.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>A charge whose answer is lost after the server applied it is retried and lands exactly once; a lost reserve leaves no hold.</summary>
public sealed class LostResponseTests
{
    [Fact]
    public async Task A_record_whose_answer_is_lost_is_retried_and_charged_once()
    {
        var cutter = new AnswerCutter("/ledger/charge");
        await using var remote = await RemoteBill.StartAsync(http: h => h.AddHttpMessageHandler(() => cutter));

        var result = await remote.Bill.RecordAsync(new RecordRequest("agent", 7) { CustomerId = "alice" });

        Assert.Equal(7, result.Units);
        Assert.Equal(2, cutter.Sent);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Equal(7, (await onServer.GetUsageAsync(BudgetScope.Customer("alice"))).Used);
    }

    [Fact]
    public async Task A_settle_whose_answer_is_lost_is_retried_and_settles_the_hold_once()
    {
        var cutter = new AnswerCutter("/ledger/charge");
        await using var remote = await RemoteBill.StartAsync(http: h => h.AddHttpMessageHandler(() => cutter));
        var hold = await remote.Bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice", EstimatedUnits = 10 });

        var result = await remote.Bill.RecordAsync(new RecordRequest("agent", 4) { CustomerId = "alice", ReservationId = hold.ReservationId });

        Assert.Equal((4L, hold.ReservationId), (result.Units, result.SettledReservationId));
        Assert.Equal(2, cutter.Sent);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        var usage = await onServer.GetUsageAsync(BudgetScope.Customer("alice"));
        Assert.Equal((4L, 0L), (usage.Used, usage.Reserved));
        Assert.Empty(await onServer.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_preflight_whose_answer_is_lost_fails_as_unavailable_and_leaves_no_hold_on_the_server()
    {
        var cutter = new AnswerCutter("/ledger/reserve");
        await using var remote = await RemoteBill.StartAsync(http: h => h.AddHttpMessageHandler(() => cutter));

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await remote.Bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice", EstimatedUnits = 10 }));

        Assert.Equal(1, cutter.Sent);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Empty(await onServer.GetOpenHoldsAsync("alice"));
        Assert.Equal(0, (await onServer.GetUsageAsync(BudgetScope.Customer("alice"))).Reserved);
    }

    /// <summary>Lets the server apply the first request to <paramref name="path"/>, then loses its answer.</summary>
    private sealed class AnswerCutter(string path) : DelegatingHandler
    {
        private int _sent;

        public int Sent => _sent;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.RequestUri!.AbsolutePath == path && Interlocked.Increment(ref _sent) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset after the server answered.");
            }

            return response;
        }
    }
}
