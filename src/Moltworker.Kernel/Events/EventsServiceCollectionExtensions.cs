using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Kernel.Events;

public static class EventsServiceCollectionExtensions
{
    /// <summary>The event bus, the recorder that numbers and stores events, the live hub. The log itself is the store's
    /// (<see cref="IEventLog"/>; without one, <see cref="NoEventLog"/> keeps nothing).</summary>
    public static IServiceCollection AddMoltworkerEvents(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.Section))
            .Validate(o => o.WriteQueue > 0, "Moltworker:Events:WriteQueue must be positive.")
            .Validate(o => o.SubscriberBuffer > 0, "Moltworker:Events:SubscriberBuffer must be positive.")
            .Validate(o => o.StreamWriteRate >= 0, "Moltworker:Events:StreamWriteRate must not be negative (0: no limit).")
            .Validate(o => o.WriteDelay >= TimeSpan.Zero, "Moltworker:Events:WriteDelay must not be negative.")
            .Validate(o => o.Heartbeat > TimeSpan.Zero && o.PingTimeout > TimeSpan.Zero, "Moltworker:Events:Heartbeat and PingTimeout must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton<IEventBus, EventBus>();
        services.TryAddSingleton<IEventLog, NoEventLog>();
        services.TryAddSingleton<EventHub>();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EventsOptions>>().Value;
            return new EventWriter(sp.GetRequiredService<IEventLog>(), options.WriteQueue, options.WriteDelay, sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILogger<EventWriter>>() ?? NullLogger<EventWriter>.Instance);
        });
        services.TryAddSingleton<EventRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<EventRecorder>());
        // Idle unless the store registers an ISharedEventSource (PostgreSQL): then it feeds the hub from the shared log.
        services.TryAddSingleton<SharedEventRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<SharedEventRelay>());
        services.AddSingleton<IHealthContributor, EventsHealth>();
        return services;
    }
}
