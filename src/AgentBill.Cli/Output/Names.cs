using System.Text.Json;

namespace AgentBill.Cli.Output;

/// <summary>Enum values as every output writes them: camelCase, as in JSON (<c>microUsd</c>, <c>agent</c>).</summary>
internal static class Names
{
    public static string Of<T>(T value)
        where T : struct, Enum
        => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
