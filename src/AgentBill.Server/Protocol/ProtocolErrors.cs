using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentBill.Server.Protocol;

/// <summary>
/// The one place exceptions become protocol answers. An unknown outcome (the store did not answer) is 503, never a
/// refusal; a bad argument is 422 <c>validation_error</c>; a body over 64 KB is 413.
/// </summary>
internal sealed class ProtocolErrors : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (ProtocolValidationException ex)
        {
            return Validation(ex.Field, ex.Message);
        }
        catch (IdempotencyConflictException ex)
        {
            return Error(StatusCodes.Status409Conflict, "idempotency_conflict", ex.Message);
        }
        catch (AgentBillUnavailableException ex)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, "store_unavailable", ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The body is over 64 KB.");
        }
        catch (ArgumentException ex)
        {
            return Validation(ProtocolFields.SnakeCase(ex.ParamName), ex.Message);
        }
    }

    /// <summary>A JSON error answer: <c>{"error": code, "message": ...}</c>.</summary>
    public static IResult Error(int status, string code, string? message = null, JsonObject? extra = null)
    {
        var body = extra ?? [];
        body["error"] = code;
        if (message is not null)
        {
            body["message"] = message;
        }

        return Results.Json(body, statusCode: status);
    }

    private static IResult Validation(string? field, string message)
        => Error(StatusCodes.Status422UnprocessableEntity, "validation_error", message, new JsonObject { ["field"] = field });
}
