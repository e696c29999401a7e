using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Moltworker.Host.Cli;

/// <summary>
/// A background service that throws stops the host, but <c>RunAsync</c> then returns as if it had stopped cleanly.
/// This finds the failure, so that the process exits with its code instead of 0.
/// </summary>
public static class HostFailures
{
    /// <summary>Throws the first failure of a background service of <paramref name="services"/>, if any.</summary>
    public static void ThrowIfAnyFailed(IServiceProvider services)
    {
        foreach (var service in services.GetServices<IHostedService>().OfType<BackgroundService>())
            if (service.ExecuteTask is { IsFaulted: true } failed)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed.Exception!.InnerExceptions.Count == 1 ? failed.Exception.InnerException! : failed.Exception).Throw();
    }
}
