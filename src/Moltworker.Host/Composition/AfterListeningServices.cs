using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Hosting;

namespace Moltworker.Host.Composition;

/// <summary>
/// Which hosted services the web host makes and starts only once it listens: all of them except
/// <see cref="BeforeListening"/>. The generic host makes every hosted service before it starts the first, and ASP.NET
/// Core starts its server after all of them: the kernel, the channels, the stores and their graphs (about a third of
/// the start-up) stood between the process starting and <c>/healthz</c> answering. Now the server listens first and
/// <see cref="AfterListeningHostedService"/> makes and starts the rest, in their registration order; <c>/healthz</c>
/// answers "starting" until it is done (<see cref="StartupReadiness"/>). Stopping is unchanged: the server stops
/// first (intake ends), then these services in reverse order.
/// The options validated on start (<c>ValidateOnStart</c>) are validated there too, first: building every validated
/// options object took ~13 ms before the server listened. A bad setting still stops the start, with its message and
/// exit code (<see cref="Cli.FatalError"/>), a few milliseconds after the server began to listen.
/// </summary>
public static class AfterListeningServices
{
    /// <summary>Started before the host listens: the <see cref="IStartsBeforeListening"/> services, i.e. the data
    /// directory's lock (so <c>restore</c> sees the host as running from its first answer on) and the PostgreSQL check
    /// (a wrong connection string fails the start).</summary>
    public static bool BeforeListening(Type hostedService) => typeof(IStartsBeforeListening).IsAssignableFrom(hostedService);

    /// <summary>Moves every hosted service registration except <see cref="BeforeListening"/> into one
    /// <see cref="AfterListeningHostedService"/> (call last, after <see cref="HeldStartupServices.HoldStartupWork"/>).</summary>
    public static IServiceCollection StartAfterListening(this IServiceCollection services)
    {
        var deferred = new List<ServiceDescriptor>();
        var validators = new List<ServiceDescriptor>();
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (StartupValidation.Is(descriptor))
            {
                validators.Insert(0, descriptor);
                services.RemoveAt(i);
                continue;
            }
            if (descriptor.ServiceType != typeof(IHostedService) || descriptor.IsKeyedService) continue;
            if (HostedServiceDescriptors.ImplementationType(descriptor) is { } type && BeforeListening(type)) continue;
            deferred.Insert(0, descriptor);
            services.RemoveAt(i);
        }
        services.AddSingleton(sp => new AfterListeningHostedService(
            [.. deferred.Select(d => (Func<IHostedService>)(() => HostedServiceDescriptors.Create(sp, d)))],
            cancellationToken => StartupValidation.RunAsync(sp, validators, cancellationToken),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<IOptions<HostOptions>>(),
            sp.GetRequiredService<ILogger<AfterListeningHostedService>>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AfterListeningHostedService>());
        return services;
    }
}
