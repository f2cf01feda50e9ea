using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using AgentBill.Server.Keys;
using AgentBill.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.RateLimiting;

/// <summary>
/// Counts every request of an authenticated key before its endpoint runs: over the limit it is answered 429
/// <c>rate_limited</c> with <c>Retry-After</c>, having changed nothing. A limiter store that does not answer is the
/// store's outage (503), never a 429.
/// </summary>
internal sealed class KeyRateLimitFilter(IKeyRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.FindFirstValue(ApiKeyAuthentication.KeyIdClaim) is not { } keyId)
        {
            return await next(context).ConfigureAwait(false);
        }

        TimeSpan? wait;
        try
        {
            wait = await limiter.AcquireAsync(keyId, http.RequestAborted).ConfigureAwait(false);
        }
        catch (AgentBillUnavailableException ex)
        {
            return ProtocolErrors.Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", ex.Message);
        }

        if (wait is { } retryAfter)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ProtocolErrors.Error(
                StatusCodes.Status429TooManyRequests,
                "rate_limited",
                "This API key made more requests than its limit allows; retry after the time given.",
                new JsonObject { ["retry_after_seconds"] = seconds });
        }

        return await next(context).ConfigureAwait(false);
    }
}
