using System.Net;
using System.Text.Json;
using AgentBill.Ledger.Wire;

namespace AgentBill.Http;

/// <summary>
/// Turns what the server answered instead of an outcome into the exception the local ledger would have thrown, and
/// every answer whose outcome is unknown into <see cref="AgentBillUnavailableException"/>: never a refusal, never
/// "nothing happened".
/// </summary>
internal static class LedgerFailures
{
    public static async Task<Exception> FromResponseAsync(HttpResponseMessage response, string route, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        if (status == HttpStatusCode.Unauthorized)
        {
            return new UnauthorizedAccessException($"The AgentBill server refused the API key for {route} (401): the key is missing, unknown, revoked or expired.");
        }

        if (status == HttpStatusCode.Forbidden)
        {
            return new UnauthorizedAccessException($"The AgentBill server refused {route} (403): it needs an admin key, and this is a metering key. Nothing was changed.");
        }

        var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        switch (error?.Kind)
        {
            case WireErrorKinds.IdempotencyConflict:
                return new IdempotencyConflictException(error.IdempotencyKey ?? string.Empty);
            case WireErrorKinds.LedgerDataLost:
                return new LedgerDataLostException(error.Message);
        }

        if ((int)status is >= 400 and < 500 && status != HttpStatusCode.RequestTimeout && status != HttpStatusCode.TooManyRequests && error is not null)
        {
            return error.Kind switch
            {
                WireErrorKinds.ArgumentNull => new ArgumentNullException(error.ParamName, error.Message),
                WireErrorKinds.ArgumentOutOfRange => new ArgumentOutOfRangeException(error.ParamName, error.Message),
                WireErrorKinds.InvalidOperation => new InvalidOperationException(error.Message),
                WireErrorKinds.NotSupported => new NotSupportedException(error.Message),
                _ => new ArgumentException(error.Message, error.ParamName),
            };
        }

        // 408, 429, 5xx and anything unexpected: the server may or may not have applied the command.
        return new AgentBillUnavailableException($"The AgentBill server answered {route} with {(int)status} {status}: {error?.Message ?? "no reason given"}. The outcome is unknown.");
    }

    public static AgentBillUnavailableException Unreachable(string route, Exception ex)
        => new($"The AgentBill server did not answer {route} ({ex.Message}). The outcome is unknown.", ex);

    private static async Task<WireError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return null;
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, LedgerJson.Default.WireError, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
