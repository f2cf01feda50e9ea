using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AgentBill.Http;

/// <summary>The named <see cref="HttpClient"/> to an AgentBill server: its address, key and resilience, set in one place.</summary>
internal static class ServerHttpClient
{
    public const string Name = "AgentBill.Server";

    public static IHttpClientBuilder Add(IServiceCollection services, Uri serverUri, string apiKey)
    {
        var baseAddress = BaseAddressOf(serverUri, nameof(serverUri));
        CheckKey(apiKey, nameof(apiKey));
        var http = services.AddHttpClient(Name, client =>
        {
            client.BaseAddress = baseAddress;
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        });
        http.AddStandardResilienceHandler(options =>
        {
            // Retries send the same body again (the same reservation id and idempotency key): only a request the
            // server applies once however often it arrives may be repeated (LedgerReplay).
            options.Retry.ShouldHandle = static args => ValueTask.FromResult(
                LedgerReplay.IsSafe(args.Context.GetRequestMessage()) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
            options.Retry.MaxRetryAttempts = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(100);
            // Inside the client's StoreTimeout (5 s by default), which bounds a whole ledger call.
            options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
            options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
            options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        });
        return http;
    }

    // Routes are relative ("ledger/reserve"): a base address without its final slash would drop its last segment.
    private static Uri BaseAddressOf(Uri? serverUri, string paramName)
    {
        ArgumentNullException.ThrowIfNull(serverUri, paramName);
        if (!serverUri.IsAbsoluteUri || (serverUri.Scheme != Uri.UriSchemeHttp && serverUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{serverUri}' is not an absolute http or https address of an AgentBill server.", paramName);
        }

        return serverUri.AbsolutePath.EndsWith('/') ? serverUri : new Uri(serverUri.GetLeftPart(UriPartial.Path) + "/");
    }

    // The server's key format ("agb_" and 48 lowercase hex digits): a typo fails here, not as a 401 at the first call.
    private static void CheckKey(string? apiKey, string paramName)
    {
        ArgumentNullException.ThrowIfNull(apiKey, paramName);
        const string Prefix = "agb_";
        if (apiKey.Length != Prefix.Length + 48 || !apiKey.StartsWith(Prefix, StringComparison.Ordinal) || apiKey.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef"))
        {
            throw new ArgumentException("An AgentBill API key is 'agb_' followed by 48 lowercase hex digits.", paramName);
        }
    }
}
