using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Moltworker.Host.Composition;

/// <summary>Reading a hosted service's (or the start-up validator's) registration without resolving it: its type, and making it later.</summary>
public static class HostedServiceDescriptors
{
    /// <summary>The service's type, or null when the registration does not say.</summary>
    public static Type? ImplementationType(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType()
        // A factory registration (AddHostedService(sp => sp.GetRequiredService<T>())): T is the delegate's result type.
        ?? (descriptor.ImplementationFactory?.GetType() is { IsGenericType: true } factory ? factory.GenericTypeArguments[^1] : null);

    /// <summary>Makes the service as the container would have.</summary>
    public static IHostedService Create(IServiceProvider sp, ServiceDescriptor descriptor) => (IHostedService)Instance(sp, descriptor);

    /// <summary>Makes the registration's service (of any type) as the container would have.</summary>
    public static object Instance(IServiceProvider sp, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(sp)
        ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!);
}
