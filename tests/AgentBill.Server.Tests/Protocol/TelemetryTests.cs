using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AgentBill.Server.Tests.Protocol;

public sealed class TelemetryTests
{
    [Fact]
    public async Task The_server_traces_and_measures_with_OpenTelemetry()
    {
        await using var server = await LoopbackServer.StartAsync();

        Assert.NotNull(server.Services.GetService<TracerProvider>());
        Assert.NotNull(server.Services.GetService<MeterProvider>());
    }
}
