using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary>
/// A request body of the protocol and every rule its fields follow, in one place: identifiers 1–128 characters without
/// control characters, units integers 0 (or 1) to 2,147,483,647, metadata at most 32 keys and 8 KB.
/// Every breach throws <see cref="ProtocolValidationException"/> before anything is charged.
/// </summary>
internal sealed class ProtocolBody
{
    private const int MaxIdLength = 128;
    private const int MaxMetadataKeys = 32;
    private const int MaxMetadataBytes = 8 * 1024;

    private readonly JsonObject _json;

    private ProtocolBody(JsonObject json) => _json = json;

    /// <summary>Reads the request's JSON object; a body that is not one is a validation error on <c>body</c>.</summary>
    public static async Task<ProtocolBody> ReadAsync(HttpRequest request)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new ProtocolValidationException("body", "The body is not valid JSON: " + ex.Message);
        }

        return node is JsonObject json ? new ProtocolBody(json) : throw new ProtocolValidationException("body", "The body must be a JSON object.");
    }

    /// <summary>A body built from query parameters (GET requests), checked by the same rules.</summary>
    public static ProtocolBody FromQuery(IQueryCollection query)
    {
        var json = new JsonObject();
        foreach (var (name, value) in query)
        {
            json[name] = value.ToString();
        }

        return new ProtocolBody(json);
    }

    /// <summary>The JSON text of the body in a stable form, to tell a replay from a different request under one key.</summary>
    public string Canonical => _json.ToJsonString();

    /// <summary>An identifier, required.</summary>
    public string Id(string field) => OptionalId(field) ?? throw new ProtocolValidationException(field, $"'{field}' is required.");

    /// <summary>An identifier, or <see langword="null"/> when absent or null.</summary>
    public string? OptionalId(string field)
    {
        var node = _json[field];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            throw new ProtocolValidationException(field, $"'{field}' must be a string.");
        }

        var value = node.GetValue<string>();
        if (value.Length is 0 or > MaxIdLength)
        {
            throw new ProtocolValidationException(field, $"'{field}' must be 1 to {MaxIdLength} characters.");
        }

        if (value.Any(char.IsControl))
        {
            throw new ProtocolValidationException(field, $"'{field}' must not contain control characters.");
        }

        return value;
    }

    /// <summary>A unit count from <paramref name="minimum"/> to <see cref="int.MaxValue"/>, or <see langword="null"/> when absent or null.</summary>
    public long? OptionalUnits(string field, long minimum)
    {
        var node = _json[field];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var units))
        {
            throw new ProtocolValidationException(field, $"'{field}' must be an integer.");
        }

        return units < minimum || units > int.MaxValue
            ? throw new ProtocolValidationException(field, $"'{field}' must be from {minimum} to {int.MaxValue}.")
            : units;
    }

    /// <summary>A boolean, or <paramref name="fallback"/> when absent or null.</summary>
    public bool Flag(string field, bool fallback)
    {
        var node = _json[field];
        return node is null
            ? fallback
            : node.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new ProtocolValidationException(field, $"'{field}' must be true or false."),
            };
    }

    /// <summary>
    /// A dollar amount turned into whole micro-USD. <paramref name="roundUp"/> for an estimate (never hold less than
    /// asked), down for a ceiling (never allow more than asked).
    /// </summary>
    public long? OptionalUsd(string field, bool roundUp)
    {
        var node = _json[field];
        if (node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<decimal>(out var dollars) || dollars < 0)
        {
            throw new ProtocolValidationException(field, $"'{field}' must be a non-negative number of dollars.");
        }

        var micro = dollars * 1_000_000m;
        micro = roundUp ? decimal.Ceiling(micro) : decimal.Floor(micro);
        return micro > int.MaxValue
            ? throw new ProtocolValidationException(field, $"'{field}' must be at most {int.MaxValue / 1_000_000m} dollars.")
            : (long)micro;
    }

    /// <summary>The meter named by <c>unit</c>: <c>unit</c> (default), <c>token</c> or <c>usd</c> (amounts in micro-USD).</summary>
    public UsageMeter? OptionalMeter()
        => OptionalText("unit") switch
        {
            null => null,
            "unit" => UsageMeter.Units,
            "token" => UsageMeter.Tokens,
            "usd" => UsageMeter.MicroUsd,
            _ => throw new ProtocolValidationException("unit", "'unit' must be \"unit\", \"token\" or \"usd\"."),
        };

    /// <summary>The budget period of the <c>period</c> extension: day, week, month or lifetime (default).</summary>
    public BudgetPeriod Period()
        => OptionalText("period") switch
        {
            null or "lifetime" => BudgetPeriod.Lifetime,
            "day" => BudgetPeriod.Day,
            "week" => BudgetPeriod.Week,
            "month" => BudgetPeriod.Month,
            _ => throw new ProtocolValidationException("period", "'period' must be \"day\", \"week\", \"month\" or \"lifetime\"."),
        };

    /// <summary>The <c>metadata</c> object: at most 32 keys and 8 KB serialized; values kept as their JSON text unless strings.</summary>
    public IReadOnlyDictionary<string, string>? Metadata()
    {
        var node = _json["metadata"];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject metadata)
        {
            throw new ProtocolValidationException("metadata", "'metadata' must be an object.");
        }

        if (metadata.Count > MaxMetadataKeys || System.Text.Encoding.UTF8.GetByteCount(metadata.ToJsonString()) > MaxMetadataBytes)
        {
            throw new ProtocolValidationException("metadata", $"'metadata' must have at most {MaxMetadataKeys} keys and {MaxMetadataBytes} bytes.");
        }

        return metadata.ToDictionary(
            static pair => pair.Key,
            static pair => pair.Value is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : pair.Value?.ToJsonString() ?? "null",
            StringComparer.Ordinal);
    }

    /// <summary>Whether the field is present (even as null): <c>PUT /budget</c> tells "no limit" from "not sent".</summary>
    public bool Has(string field) => _json.ContainsKey(field);

    private string? OptionalText(string field)
    {
        var node = _json[field];
        if (node is null)
        {
            return null;
        }

        return node.GetValueKind() == JsonValueKind.String
            ? node.GetValue<string>()
            : throw new ProtocolValidationException(field, $"'{field}' must be a string.");
    }
}
