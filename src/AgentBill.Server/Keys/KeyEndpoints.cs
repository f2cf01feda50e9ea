using System.Globalization;
using System.Text.Json.Nodes;
using AgentBill.Server.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentBill.Server.Keys;

/// <summary>
/// Key administration for admin keys: <c>POST /admin/keys</c> makes a key and shows its secret once,
/// <c>GET /admin/keys</c> lists every key by prefix and last four, <c>DELETE /admin/keys/{id}</c> revokes one (effective
/// at the next request of every server on the store).
/// </summary>
internal static class KeyEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var admin = endpoints.MapGroup("/admin/keys")
            .RequireAuthorization(ApiKeyAuthentication.AdminPolicy)
            .AddEndpointFilter<ProtocolErrors>();
        admin.MapPost(string.Empty, CreateAsync);
        admin.MapGet(string.Empty, ListAsync);
        admin.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ApiKeys keys)
    {
        var body = await ProtocolBody.ReadAsync(http.Request).ConfigureAwait(false);
        var name = body.Id("name");
        var scope = body.OptionalId("scope") switch
        {
            null or "metering" => ApiKeyScope.Metering,
            "admin" => ApiKeyScope.Admin,
            _ => throw new ProtocolValidationException("scope", "'scope' is \"metering\" or \"admin\"."),
        };
        DateTimeOffset? expiresAt = null;
        if (body.OptionalId("expires_at") is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
            {
                throw new ProtocolValidationException("expires_at", "'expires_at' is an ISO-8601 date and time.");
            }

            expiresAt = parsed;
        }

        IssuedApiKey issued;
        try
        {
            issued = await keys.CreateAsync(name, scope, expiresAt, http.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new ProtocolValidationException(ex.ParamName == "expiresAt" ? "expires_at" : "name", ex.Message);
        }

        var answer = Describe(issued.Record);
        answer["key"] = issued.Secret;
        return Results.Json(answer, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(HttpContext http, ApiKeys keys)
    {
        var all = await keys.ListAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Json(new JsonObject { ["keys"] = new JsonArray([.. all.Select(static key => (JsonNode)Describe(key))]) });
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, ApiKeys keys)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128 || id.Any(char.IsControl))
        {
            throw new ProtocolValidationException("id", "A key id is 1 to 128 characters without control characters.");
        }

        return await keys.RevokeAsync(id, http.RequestAborted).ConfigureAwait(false)
            ? Results.Json(new JsonObject { ["id"] = id, ["status"] = "revoked" })
            : Results.Json(new JsonObject { ["error"] = "key_not_found", ["id"] = id }, statusCode: StatusCodes.Status404NotFound);
    }

    // Never the hash, never the secret: the prefix and last four are all a list shows.
    private static JsonObject Describe(ApiKeyRecord key) => new()
    {
        ["id"] = key.Id,
        ["name"] = key.Name,
        ["scope"] = key.Scope == ApiKeyScope.Admin ? "admin" : "metering",
        ["prefix"] = key.FirstEight,
        ["last4"] = key.LastFour,
        ["display"] = key.Display,
        ["created_at"] = key.CreatedAt,
        ["expires_at"] = key.ExpiresAt,
        ["revoked_at"] = key.RevokedAt,
    };
}
