using System.Text.Json;
using System.Text.Json.Nodes;
using AgentBill.Server.Tests.Protocol;

namespace AgentBill.Server.Tests.Compatibility;

/// <summary>
/// Replays the request shapes the Python and Node SDKs send (fixtures written from the protocol's reference) and checks
/// each answer field by field: JSON types and values, with <c>$id</c> (a non-empty string), <c>$timestamp</c> (an
/// ISO-8601 instant) and <c>$capture:name</c> (an id later steps send as <c>${name}</c>) for what the server picks.
/// </summary>
public sealed class CompatibilityTests
{
    public static TheoryData<string> Fixtures()
        => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Compatibility"), "*.json").Select(static path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task The_server_answers_the_SDKs_requests_as_the_reference_says(string fixture)
    {
        var steps = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Compatibility", fixture), TestContext.Current.CancellationToken))!["steps"]!.AsArray();
        await using var server = await LoopbackServer.StartAsync();
        using var metering = new ProtocolClient(server.CreateClient(server.MeteringKey));
        using var admin = new ProtocolClient(server.CreateClient(server.AdminKey));
        var captured = new Dictionary<string, string>(StringComparer.Ordinal);

        foreach (var (step, index) in steps.Select(static (step, index) => (step!, index)))
        {
            var client = (string?)step["key"] == "admin" ? admin : metering;
            var body = step["body"] is { } json ? Substitute(json.ToJsonString(), captured) : null;
            var (status, answer) = await client.SendAsync(new HttpMethod((string)step["method"]!), (string)step["path"]!, body);

            var where = $"{fixture} step {index} ({step["method"]} {step["path"]})";
            Assert.True((int)step["status"]! == (int)status, $"{where}: status {(int)status}, expected {step["status"]}; body {answer.ToJsonString()}");
            foreach (var (field, expected) in step["response"]!.AsObject())
            {
                Assert.True(answer.ContainsKey(field), $"{where}: no field '{field}' in {answer.ToJsonString()}");
                Check(where + ": " + field, expected, answer[field], captured);
            }
        }
    }

    private static void Check(string where, JsonNode? expected, JsonNode? actual, Dictionary<string, string> captured)
    {
        if (expected is JsonValue value && value.GetValueKind() == JsonValueKind.String && ((string)value!).StartsWith('$'))
        {
            var placeholder = (string)value!;
            Assert.True(actual?.GetValueKind() == JsonValueKind.String && ((string)actual!).Length > 0, $"{where}: expected a string id, got {actual?.ToJsonString() ?? "null"}");
            if (placeholder == "$timestamp")
            {
                Assert.True(DateTimeOffset.TryParse((string)actual!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _), $"{where}: not an ISO-8601 instant");
            }
            else if (placeholder.StartsWith("$capture:", StringComparison.Ordinal))
            {
                captured[placeholder["$capture:".Length..]] = (string)actual!;
            }

            return;
        }

        // Kinds first: `approved` must be a JSON boolean, counts JSON numbers, absent values JSON null.
        Assert.True((expected?.GetValueKind() ?? JsonValueKind.Null) == (actual?.GetValueKind() ?? JsonValueKind.Null), $"{where}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{where}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
    }

    private static string Substitute(string json, Dictionary<string, string> captured)
        => captured.Aggregate(json, static (text, pair) => text.Replace("${" + pair.Key + "}", pair.Value, StringComparison.Ordinal));
}
