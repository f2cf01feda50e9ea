using System.Net;

namespace AgentBill.Server.Tests.Protocol;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("/preflight", """{"estimated_units":1}""", "agent_id")]
    [InlineData("/preflight", """{"agent_id":""}""", "agent_id")]
    [InlineData("/preflight", """{"agent_id":"a\u0001b"}""", "agent_id")]
    [InlineData("/preflight", """{"agent_id":"a","estimated_units":0}""", "estimated_units")]
    [InlineData("/preflight", """{"agent_id":"a","estimated_units":2147483648}""", "estimated_units")]
    [InlineData("/preflight", """{"agent_id":"a","estimated_units":1.5}""", "estimated_units")]
    [InlineData("/preflight", """{"agent_id":"a","unit":"gallons"}""", "unit")]
    [InlineData("/preflight", """{"agent_id":"a","customer_id":"ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}""", "customer_id")]
    [InlineData("/preflight", """not json""", "body")]
    [InlineData("/preflight", """[1]""", "body")]
    [InlineData("/events", """{"event_type":"a","units":-1}""", "units")]
    [InlineData("/events", """{"event_type":"a"}""", "units")]
    [InlineData("/events", """{"event_type":"a","units":1,"success":"yes"}""", "success")]
    [InlineData("/events", """{"event_type":"a","units":1,"metadata":[1]}""", "metadata")]
    [InlineData("/checkpoint", """{"agent_id":"a"}""", "units_so_far")]
    public async Task A_bad_field_is_422_naming_it_and_nothing_is_charged(string path, string json, string field)
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = new ProtocolClient(server.CreateClient(server.MeteringKey));

        var (status, body) = await client.PostAsync(path, json);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("validation_error", (string)body["error"]!);
        Assert.Equal(field, (string)body["field"]!);
        var budget = (await client.GetAsync("/budget")).Body;
        Assert.Equal(0, (long)budget["used"]!);
        Assert.Equal(0, (long)budget["reserved"]!);
    }

    [Fact]
    public async Task Metadata_over_32_keys_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = new ProtocolClient(server.CreateClient(server.MeteringKey));
        var metadata = string.Join(',', Enumerable.Range(0, 33).Select(static i => $"\"k{i}\":1"));

        var (status, body) = await client.PostAsync("/events", """{"event_type":"a","units":1,"metadata":{""" + metadata + "}}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("metadata", (string)body["field"]!);
        Assert.Equal(0, (long)(await client.GetAsync("/budget")).Body["used"]!);
    }

    [Fact]
    public async Task A_body_over_64_KB_is_413()
    {
        await using var server = await LoopbackServer.StartAsync();
        using var client = new ProtocolClient(server.CreateClient(server.MeteringKey));
        var padding = new string('x', 65 * 1024);

        var (status, _) = await client.PostAsync("/preflight", $$"""{"agent_id":"a","pad":"{{padding}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(0, (long)(await client.GetAsync("/budget")).Body["reserved"]!);
    }
}
