using AgentBill;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The server's OpenTelemetry: ASP.NET Core's and AgentBill's traces and metrics, exported over OTLP only when asked.</summary>
internal static class ServerTelemetry
{
    /// <summary>The standard variable that names an OTLP collector; without it nothing is exported.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddAgentBillServerTelemetry(this IServiceCollection services)
    {
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(static tracing => tracing.AddAspNetCoreInstrumentation().AddSource(AgentBillDiagnostics.Name))
            .WithMetrics(static metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(AgentBillDiagnostics.Name));
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable)))
        {
            // The exporter reads the endpoint, protocol and headers from the standard OTEL_* variables itself.
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
