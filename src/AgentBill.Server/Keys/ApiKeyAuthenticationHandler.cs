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

        var record = await keys.AuthenticateAsync(key, Context.RequestAborted).ConfigureAwait(false);
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
