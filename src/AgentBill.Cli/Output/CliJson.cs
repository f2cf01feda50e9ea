using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AgentBill.Cli.Output;

/// <summary>The one JSON shape of every <c>--json</c> output and every MCP tool result: camelCase names, enums as camelCase strings.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>One compact line per value, for streams such as <c>watch --json</c>.</summary>
    public static JsonSerializerOptions Lines { get; } = new(Options) { WriteIndented = false };

    public static void Write<T>(TextWriter writer, T value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
        writer.Flush();
    }

    public static void WriteLine<T>(TextWriter writer, T value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Lines));
        writer.Flush();
    }
}
