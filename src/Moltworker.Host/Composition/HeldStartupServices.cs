using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Tasks;
using Moltworker.Knowledge;

namespace Moltworker.Host.Composition;

/// <summary>
/// Which start-up work the web host holds behind its <see cref="StartupHold"/>: the work <see cref="StartupReadiness"/>
/// reports (the plugin catalog's first load, the curated knowledge folder's ingest, the resume pass). Each one's hosted
/// service registration is wrapped in a <see cref="HeldHostedService"/>; the hold opens after the first response or
/// <see cref="StartupHold.Delay"/> after the host started listening.
/// </summary>
public static class HeldStartupServices
{
    /// <summary>The held services. <see cref="ToolCacheRegistrationCheck"/> builds the plugin catalog too (to check every
    /// tool's cache declaration): not held, it built the catalog on a pool thread while the host was still starting.</summary>
    public static readonly IReadOnlyList<Type> Held =
        [typeof(PluginWarmup), typeof(ToolCacheRegistrationCheck), typeof(KnowledgeSeedService), typeof(TaskResumeService)];

    /// <summary>Wraps the hosted service registrations of <see cref="Held"/> (call after every area registered its services).</summary>
    public static IServiceCollection HoldStartupWork(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new StartupHold(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IStartupHold>(sp => sp.GetRequiredService<StartupHold>());
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService) continue;
            if (HostedServiceDescriptors.ImplementationType(descriptor) is not { } type || !Held.Contains(type)) continue;
            services[i] = ServiceDescriptor.Singleton<IHostedService>(sp => new HeldHostedService(HostedServiceDescriptors.Create(sp, descriptor), sp.GetRequiredService<StartupHold>()));
        }
        return services;
    }

    /// <summary>Opens the hold once the first response has gone out, or <see cref="StartupHold.Delay"/> after the host
    /// started listening.</summary>
    public static WebApplication UseStartupHold(this WebApplication app)
    {
        var hold = app.Services.GetRequiredService<StartupHold>();
        app.Lifetime.ApplicationStarted.Register(hold.OpenAfterDelay);
        app.Use((context, next) =>
        {
            if (!hold.IsOpen) context.Response.OnCompleted(() => { hold.Open(); return Task.CompletedTask; });
            return next(context);
        });
        return app;
    }
}
