using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Host.Composition;

namespace Moltworker.Host.Cli;

/// <summary>
/// A background service that throws stops the host, but <c>RunAsync</c> then returns as if it had stopped cleanly.
/// Taken before the host runs (its services are disposed after), this finds the failure afterwards, so that the
/// process exits with its code instead of 0.
/// </summary>
public sealed class HostFailures
{
    private readonly IReadOnlyList<IHostedService> _services;

    private HostFailures(IReadOnlyList<IHostedService> services) => _services = services;

    /// <summary>Remembers the hosted services of <paramref name="services"/>; call before running the host. Those the
    /// web host starts once it listens (<see cref="AfterListeningHostedService"/>) are looked at when asked.</summary>
    public static HostFailures Watch(IServiceProvider services) => new([.. services.GetServices<IHostedService>()]);

    private IEnumerable<BackgroundService> BackgroundServices() => _services
        .SelectMany(s => s is AfterListeningHostedService after ? after.Started : [s])
        .OfType<BackgroundService>();

    /// <summary>Throws the first failure of a watched background service, if any.</summary>
    public void ThrowIfAnyFailed()
    {
        foreach (var service in BackgroundServices())
            if (service.ExecuteTask is { IsFaulted: true } failed)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(
                    failed.Exception!.InnerExceptions.Count == 1 ? failed.Exception.InnerException! : failed.Exception).Throw();
    }
}
