using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Http;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Models;

/// <summary>
/// Registers the model client in two parts. The provider (keyed <see cref="ProviderKey"/>): the OpenAI SDK and M.E.AI's
/// adapter (<see cref="OpenAIModelClient"/>) over the named HttpClient <see cref="HttpClientName"/>, which retries
/// transient faults with Microsoft.Extensions.Http.Resilience (<see cref="TransientHttpRetry"/>, <c>Retry-After</c>
/// honoured up to <see cref="LlmOptions.RetryMaxDelay"/>), then <see cref="ToolCallRepairChatClient"/> and
/// <see cref="ResilientChatClient"/> (fallbacks). The <see cref="IChatClient"/> everyone uses: the provider with every
/// <see cref="IChatClientDecorator"/> around it, composed with <see cref="ChatClientBuilder"/>, whichever provider is
/// registered: an <see cref="IChatClient"/> registered before this call (a test's scripted model) becomes the provider.
/// </summary>
public static class ModelClientServiceCollectionExtensions
{
    public const string HttpClientName = "Moltworker.Llm";
    public const string ProviderKey = "Moltworker.ModelProvider";

    public static IServiceCollection AddModelClient(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddTransientRetry(sp => OpenAIModelClient.RetrySettings(sp.GetRequiredService<IOptions<LlmOptions>>().Value));

        AdoptRegisteredClient(services);
        services.TryAddKeyedSingleton<IChatClient>(ProviderKey, (sp, _) =>
        {
            var llm = sp.GetRequiredService<IOptions<LlmOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new ResilientChatClient(new ToolCallRepairChatClient(OpenAIModelClient.Create(llm, http)), llm,
                sp.GetRequiredService<ModelCatalog>(), sp.GetRequiredService<ILogger<ResilientChatClient>>());
        });
        services.TryAddSingleton<IChatClient>(sp =>
        {
            var builder = new ChatClientBuilder(sp.GetRequiredKeyedService<IChatClient>(ProviderKey));
            foreach (var decorator in sp.GetServices<IChatClientDecorator>()) builder.Use(decorator.Decorate); // the first is outermost
            return builder.Build(sp);
        });
        return services;
    }

    /// <summary>An <see cref="IChatClient"/> registered before becomes the provider, so the decorators wrap it too.</summary>
    private static void AdoptRegisteredClient(IServiceCollection services)
    {
        if (services.LastOrDefault(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService) is not { } registered) return;
        services.Remove(registered);
        services.Add(registered switch
        {
            { ImplementationInstance: { } instance } => new ServiceDescriptor(typeof(IChatClient), ProviderKey, instance),
            { ImplementationFactory: { } factory } => new ServiceDescriptor(typeof(IChatClient), ProviderKey, (sp, _) => factory(sp), registered.Lifetime),
            _ => new ServiceDescriptor(typeof(IChatClient), ProviderKey, registered.ImplementationType!, registered.Lifetime),
        });
    }
}
