using AgentBill.Server.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>A server that does not answer is an unknown outcome: never a refusal, never "nothing happened".</summary>
public sealed class ServerDownTests
{
    [Fact]
    public async Task A_stopped_server_fails_preflight_closed_and_record_with_unavailable()
    {
        var server = await LoopbackServer.StartAsync();
        var address = server.BaseAddress;
        var key = server.MeteringKey;
        await server.DisposeAsync();
        var services = new ServiceCollection();
        services.AddAgentBill(o => o.FailureMode = AgentBillFailureMode.FailClosed).UseServer(address, key);
        await using var provider = services.BuildServiceProvider();
        var bill = provider.GetRequiredService<IAgentBill>();

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice" }));
        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.RecordAsync(new RecordRequest("agent", 3) { CustomerId = "alice" }));
    }

    [Fact]
    public async Task A_stopped_server_fails_AgentBillHttpClient_with_unavailable()
    {
        var server = await LoopbackServer.StartAsync();
        var (address, key) = (server.BaseAddress, server.MeteringKey);
        await server.DisposeAsync();
        await using var bill = new AgentBillHttpClient(address, key);

        await Assert.ThrowsAsync<AgentBillUnavailableException>(async () => await bill.PreflightAsync(new PreflightRequest("agent") { CustomerId = "alice" }));
    }
}
