using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AgentBill.Ledger;
using AgentBill.Ledger.Wire;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Ledger;

/// <summary>
/// Runs one ledger call of a request: reads its body, calls the store at the server's time, and answers with the
/// outcome or with the exception the store threw as a <see cref="WireError"/>, so the client rethrows the same kind.
/// </summary>
internal sealed class LedgerCalls(IBudgetLedger ledger, TimeProvider time)
{
    public Task<IResult> Run<TRequest, TResponse>(
        HttpContext http,
        JsonTypeInfo<TRequest> request,
        JsonTypeInfo<TResponse> response,
        Func<IBudgetLedger, TRequest, DateTimeOffset, CancellationToken, ValueTask<TResponse>> call)
        => Answer(http, request, response, (body, ct) => call(ledger, body, time.GetUtcNow(), ct));

    public Task<IResult> Report<TRequest, TResponse>(
        HttpContext http,
        JsonTypeInfo<TRequest> request,
        JsonTypeInfo<TResponse> response,
        Func<IBudgetLedgerReports, TRequest, CancellationToken, ValueTask<TResponse>> call)
    {
        // The store itself, not a wrapper around it, keeps the reports (as AgentBill's own LedgerReports finds them).
        var store = Hosting.ServerStore.Of(ledger);
        if (store is not IBudgetLedgerReports reports)
        {
            return Task.FromResult(Error(StatusCodes.Status501NotImplemented, new WireError(WireErrorKinds.NotSupported, $"The server's store ({store.GetType().Name}) keeps no reports.")));
        }

        return Answer(http, request, response, (body, ct) => call(reports, body, ct));
    }

    private static async Task<IResult> Answer<TRequest, TResponse>(
        HttpContext http, JsonTypeInfo<TRequest> request, JsonTypeInfo<TResponse> response, Func<TRequest, CancellationToken, ValueTask<TResponse>> call)
    {
        TRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            return Error(StatusCodes.Status400BadRequest, new WireError(WireErrorKinds.Argument, "The request body is not a ledger command: " + ex.Message));
        }

        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, new WireError(WireErrorKinds.Argument, "The request has no body."));
        }

        try
        {
            return Results.Json(await call(body, http.RequestAborted).ConfigureAwait(false), response);
        }
        catch (ArgumentException ex)
        {
            var kind = ex switch
            {
                ArgumentNullException => WireErrorKinds.ArgumentNull,
                ArgumentOutOfRangeException => WireErrorKinds.ArgumentOutOfRange,
                _ => WireErrorKinds.Argument,
            };
            return Error(StatusCodes.Status400BadRequest, new WireError(kind, MessageOf(ex), ex.ParamName));
        }
        catch (InvalidOperationException ex)
        {
            return Error(StatusCodes.Status409Conflict, new WireError(WireErrorKinds.InvalidOperation, ex.Message));
        }
        catch (NotSupportedException ex)
        {
            return Error(StatusCodes.Status501NotImplemented, new WireError(WireErrorKinds.NotSupported, ex.Message));
        }
        catch (IdempotencyConflictException ex)
        {
            return Error(StatusCodes.Status409Conflict, new WireError(WireErrorKinds.IdempotencyConflict, ex.Message, IdempotencyKey: ex.IdempotencyKey));
        }
        catch (LedgerDataLostException ex)
        {
            // Not an outage: the client must refuse, not fail open as it may when the server cannot be reached.
            return Error(StatusCodes.Status503ServiceUnavailable, new WireError(WireErrorKinds.LedgerDataLost, ex.Message));
        }
        catch (AgentBillUnavailableException ex)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, new WireError(WireErrorKinds.Unavailable, ex.Message));
        }
    }

    // ArgumentException appends " (Parameter 'x')" to its message; the client's exception adds it again.
    private static string MessageOf(ArgumentException ex)
        => ex.ParamName is { } name && ex.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? ex.Message[..^$" (Parameter '{name}')".Length]
            : ex.Message;

    private static IResult Error(int status, WireError error) => Results.Json(error, LedgerJson.Default.WireError, statusCode: status);
}
