using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moltworker.Host.Composition;

/// <summary>
/// The options validated on start (<c>ValidateOnStart</c>), run by <see cref="AfterListeningHostedService"/> before it
/// makes the services instead of by the generic host before the server starts (<see cref="AfterListeningServices"/>).
/// As the host does: the asynchronous validator when one is registered, otherwise the synchronous one.
/// </summary>
public static class StartupValidation
{
#pragma warning disable SYSLIB0066 // the synchronous contract is still what older registrations use
    public static bool Is(ServiceDescriptor descriptor) => !descriptor.IsKeyedService
        && (descriptor.ServiceType == typeof(IAsyncStartupValidator) || descriptor.ServiceType == typeof(IStartupValidator));

    public static Task RunAsync(IServiceProvider services, IReadOnlyList<ServiceDescriptor> validators, CancellationToken cancellationToken)
    {
        if (validators.LastOrDefault(d => d.ServiceType == typeof(IAsyncStartupValidator)) is { } asynchronous)
            return ((IAsyncStartupValidator)HostedServiceDescriptors.Instance(services, asynchronous)).ValidateAsync(cancellationToken);
        if (validators.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator)) is { } synchronous)
            ((IStartupValidator)HostedServiceDescriptors.Instance(services, synchronous)).Validate();
        return Task.CompletedTask;
    }
#pragma warning restore SYSLIB0066
}
