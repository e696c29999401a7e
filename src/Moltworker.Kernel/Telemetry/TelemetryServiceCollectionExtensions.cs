using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;

namespace Moltworker.Kernel.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>GenAI spans and metrics on <see cref="GenAiConventions.SourceName"/>: <see cref="GenAiTurnTelemetry"/>
    /// (invoke_agent, execute_tool) and <see cref="GenAiChatClientDecorator"/> (chat, the metrics). They cost a listener
    /// check while nothing listens; an exporter (the host's, with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) or a test's listener
    /// turns them on.</summary>
    public static IServiceCollection AddGenAiTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<GenAiTurnTelemetry>();
        services.AddSingleton<ITurnFilter>(sp => sp.GetRequiredService<GenAiTurnTelemetry>());
        services.AddSingleton<IChatClientDecorator, GenAiChatClientDecorator>();
        return services;
    }
}
