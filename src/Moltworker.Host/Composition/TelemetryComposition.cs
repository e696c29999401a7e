using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Moltworker.Host.Composition;

/// <summary>
/// The kernel's GenAI spans and metrics (<see cref="GenAiConventions"/>), always registered, and their export: when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (environment or configuration), the OpenTelemetry SDK exports the traces and
/// metrics of <see cref="GenAiConventions.SourceName"/> over OTLP, configured by the standard <c>OTEL_*</c> variables
/// (<c>OTEL_EXPORTER_OTLP_PROTOCOL</c> = <c>grpc</c> (the default) or <c>http/protobuf</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>,
/// …); the service name is moltworker. Without it no SDK, listener or exporter is registered.
/// </summary>
public static class TelemetryComposition
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTelemetryExport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGenAiTelemetry();
        if (string.IsNullOrWhiteSpace(configuration[EndpointVariable])) return services;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("moltworker"))
            .WithTracing(tracing => tracing.AddSource(GenAiConventions.SourceName).AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddMeter(GenAiConventions.SourceName).AddOtlpExporter());
        return services;
    }
}
