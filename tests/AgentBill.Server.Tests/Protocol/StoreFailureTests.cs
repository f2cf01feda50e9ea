using System.Net;

namespace AgentBill.Server.Tests.Protocol;

public sealed class StoreFailureTests
{
    [Fact]
    public async Task A_key_being_decided_right_now_is_409_in_progress_and_then_replays()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        await using var server = await LoopbackServer.StartAsync(configureHost: GatedAgentBill.Install(() =>
        {
            if (!first)
            {
                return Task.CompletedTask;
            }

            first = false;
            entered.SetResult();
            return release.Task;
        }));
        using var client = new ProtocolClient(server.CreateClient(server.MeteringKey));
        const string Request = """{"agent_id":"a","estimated_units":3,"idempotency_key":"k-7"}""";

        var deciding = client.PostAsync("/preflight", Request);
        await entered.Task;
        var (status, body) = await client.PostAsync("/preflight", Request);
        release.SetResult();
        var decided = await deciding;

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("preflight_in_progress", (string)body["error"]!);
        Assert.True((bool)decided.Body["approved"]!);
        var replay = await client.PostAsync("/preflight", Request);
        Assert.Equal((string)decided.Body["reservation_id"]!, (string)replay.Body["reservation_id"]!);
    }

    [Theory]
    [InlineData("/preflight", """{"agent_id":"a"}""")]
    [InlineData("/events", """{"event_type":"a","units":1}""")]
    [InlineData("/checkpoint", """{"agent_id":"a","units_so_far":1}""")]
    public async Task A_store_that_does_not_answer_is_503_never_a_refusal(string path, string json)
    {
        await using var server = await LoopbackServer.StartAsync(configureHost: GatedAgentBill.Install(static () => throw new AgentBillUnavailableException("down")));
        using var client = new ProtocolClient(server.CreateClient(server.MeteringKey));

        var (status, body) = await client.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("store_unavailable", (string)body["error"]!);
    }

    [Fact]
    public async Task Health_is_503_when_the_store_does_not_answer()
    {
        await using var server = await LoopbackServer.StartAsync(configureHost: GatedAgentBill.Install(static () => throw new AgentBillUnavailableException("down")));
        using var client = new ProtocolClient(server.CreateClient(null));

        var (status, body) = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", (string)body["status"]!);
    }
}
