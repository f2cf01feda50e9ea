using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentBill.Server.Keys.Stores;

/// <summary>An <see cref="ApiKeyRecord"/> as the JSON a durable key store keeps (the hash and display parts only, never a secret).</summary>
internal static class ApiKeyJson
{
    public static string Write(ApiKeyRecord record) => JsonSerializer.Serialize(record, ApiKeyJsonContext.Default.ApiKeyRecord);

    public static ApiKeyRecord Read(string json)
        => JsonSerializer.Deserialize(json, ApiKeyJsonContext.Default.ApiKeyRecord)
            ?? throw new InvalidOperationException("A stored API key record is empty.");
}

/// <summary>The source-generated serializer of <see cref="ApiKeyRecord"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ApiKeyRecord))]
internal sealed partial class ApiKeyJsonContext : JsonSerializerContext;
