using System.Globalization;
using System.Security.Claims;
using AgentBill.Server.Keys;
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
            return Results.Json(new { error = "store_unavailable", message = ex.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (wait is { } retryAfter)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Results.Json(
                new { error = "rate_limited", message = "This API key made more requests than its limit allows; retry after the time given.", retry_after_seconds = seconds },
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        return await next(context).ConfigureAwait(false);
    }
}
