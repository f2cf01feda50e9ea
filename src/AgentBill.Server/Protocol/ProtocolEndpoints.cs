using System.Text.Json.Nodes;
using AgentBill.Server.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentBill.Server.Protocol;

/// <summary>Maps the SDK protocol (/preflight, /events, /budget, /tasks, /checkpoint, /health) and its extensions.</summary>
internal static class ProtocolEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var metering = endpoints.MapGroup(string.Empty)
            .RequireAuthorization(ApiKeyAuthentication.MeteringPolicy)
            .AddEndpointFilter<ProtocolErrors>();
        metering.MapPost("/preflight", PreflightEndpoint.HandleAsync);
        metering.MapPost("/events", EventsEndpoint.HandleAsync);
        metering.MapGet("/budget", BudgetEndpoints.GetAsync);
        // Setting a customer's limit is an operator's act, not a metered caller's: admin keys only.
        metering.MapPut("/budget", BudgetEndpoints.PutAsync).RequireAuthorization(ApiKeyAuthentication.AdminPolicy);
        metering.MapGet("/tasks/{taskRef}", TaskEndpoints.GetAsync);
        // The SDKs open tasks with their one key: a task ceiling only narrows what the customer's budget allows.
        metering.MapPut("/tasks/{taskRef}/ceiling", TaskEndpoints.PutCeilingAsync);
        metering.MapPost("/checkpoint", CheckpointEndpoint.HandleAsync);
        metering.MapPost("/reservations/{id}/extend", ReservationEndpoints.ExtendAsync);
        metering.MapPost("/reservations/{id}/topup", ReservationEndpoints.TopUpAsync);
        metering.MapPost("/reservations/{id}/release", ReservationEndpoints.ReleaseAsync);

        endpoints.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
            ResponseWriter = static (http, report) =>
            {
                http.Response.ContentType = "application/json";
                return http.Response.WriteAsync(new JsonObject
                {
                    ["status"] = report.Status == HealthStatus.Healthy ? "ok" : "unavailable",
                    ["store"] = report.Entries.TryGetValue("store", out var store) && store.Status == HealthStatus.Healthy,
                }.ToJsonString());
            },
        }).AllowAnonymous();
    }
}
