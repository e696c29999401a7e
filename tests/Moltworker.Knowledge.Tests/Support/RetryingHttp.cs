using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Http;

namespace Moltworker.Knowledge.Tests.Support;

/// <summary>An HttpClient with the host's transient retries (<see cref="TransientRetryHttpClientBuilderExtensions.AddTransientRetry"/>),
/// built by a container of its own the way the host builds its named clients.</summary>
internal static class RetryingHttp
{
    public static HttpClient Create(HttpRetrySettings settings, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddHttpClient("test").AddTransientRetry(_ => settings);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient("test");
    }
}
