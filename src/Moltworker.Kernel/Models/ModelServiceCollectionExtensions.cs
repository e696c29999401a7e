using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>Registers model access: the catalog, the client pipeline (resilience around the OpenAI-compatible client) and <see cref="ModelAccess"/>.</summary>
public static class ModelServiceCollectionExtensions
{
    /// <summary>
    /// Expects <see cref="LlmOptions"/> bound from <c>Moltworker:Llm</c> by the host. <see cref="IChatClient"/> is only usable when
    /// <see cref="LlmOptions.IsConfigured"/>; ask <see cref="ModelAccess"/> first.
    /// </summary>
    public static IServiceCollection AddModelAccess(this IServiceCollection services)
    {
        services.AddOptions<LlmOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ModelCatalog(sp.GetRequiredService<IOptions<LlmOptions>>()));
        services.TryAddSingleton<ModelAccess>();
        services.TryAddSingleton<IChatClient>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var catalog = sp.GetRequiredService<ModelCatalog>();
            var time = sp.GetRequiredService<TimeProvider>();
            // One pooled HttpClient for the process; the SDK's network timeout bounds each request.
            var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
            var inner = new OpenAIChatClient(options, http, catalog, time);
            var logger = sp.GetService<ILogger<ResilientChatClient>>() ?? NullLogger<ResilientChatClient>.Instance;
            return new ResilientChatClient(inner, options, catalog, time, logger);
        });
        return services;
    }
}
