using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentBill.Server.Keys;

/// <summary>
/// Authenticates <c>Authorization: Bearer agb_…</c>. The key's shape is checked first (a malformed key is refused
/// without a lookup); then its hash is looked up on every request, so a revoked key fails on the next one.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header is not a bearer key.");
        }

        var key = header[BearerPrefix.Length..].Trim();
        if (!ApiKeyFormat.IsWellFormed(key))
        {
            return AuthenticateResult.Fail("The key is not 'agb_' followed by 48 lowercase hex digits.");
        }

        ApiKeyRecord? record;
        try
        {
            record = await keys.AuthenticateAsync(key, Context.RequestAborted).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException ex)
        {
            // The key store did not answer: whether the key is good is unknown, so the answer is the store's outage
            // (503, retry), never 401 (which tells a client its key is bad) and never a 500.
            Context.Features.Set(new KeyStoreOutage(ex.Message));
            return AuthenticateResult.Fail(ex);
        }

        if (record is null)
        {
            return AuthenticateResult.Fail("The key is unknown, revoked or expired.");
        }

        Context.Features.Set(record);
        var identity = new ClaimsIdentity(
            [
                new Claim(ApiKeyAuthentication.KeyIdClaim, record.Id),
                new Claim(ClaimTypes.Name, record.Name),
                new Claim(ApiKeyAuthentication.ScopeClaim, ApiKeyAuthentication.ClaimValue(record.Scope)),
            ],
            ApiKeyAuthentication.Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme));
    }

    // The SDKs read a JSON error body; the browser's login prompt is not wanted, so no realm.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<KeyStoreOutage>() is { } outage)
        {
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Response.WriteAsJsonAsync(new { error = "store_unavailable", message = outage.Message });
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Response.WriteAsJsonAsync(new { error = "unauthorized", message = "A valid API key is required: Authorization: Bearer agb_…" });
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new { error = "forbidden", message = "This endpoint needs an admin key." });
    }
}

/// <summary>Marks a request whose key could not be looked up because the key store did not answer.</summary>
internal sealed record KeyStoreOutage(string Message);
