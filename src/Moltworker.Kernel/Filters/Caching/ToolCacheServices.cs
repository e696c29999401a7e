using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Options;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>Registration of the tool-result cache: its own keyed <see cref="HybridCache"/> (so nothing else that uses a
/// cache shares its second level), the filter, the rules, the registration check and the sweep.</summary>
public static class ToolCacheServices
{
    /// <summary>The service key of the tool-result cache's <see cref="HybridCache"/> and of its second level.</summary>
    public const string Key = "moltworker.tool-cache";

    public static IServiceCollection AddMoltworkerToolCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolCacheOptions>().Bind(configuration.GetSection($"{Hosting.KernelServiceCollectionExtensions.Section}:Tools:Cache"))
            .Validate(o => o.Ttl.Values.All(t => t >= TimeSpan.Zero), "Moltworker:Tools:Cache:Ttl values must not be negative (zero turns caching off for a tool).")
            .Validate(o => o.SweepInterval >= TimeSpan.Zero, "Moltworker:Tools:Cache:SweepInterval must not be negative (zero turns the sweep off).")
            .ValidateOnStart();
        services.AddKeyedHybridCache(Key, o => o.DistributedCacheServiceKey = Key);
        services.TryAddSingleton<ToolCacheRules>();
        services.AddFunctionFilter<ToolCacheFilter>();
        services.AddHostedService<ToolCacheRegistrationCheck>();
        services.AddHostedService<ToolCacheSweepService>();
        return services;
    }

    /// <summary>Makes <typeparamref name="TStore"/> the durable second level of the tool-result cache (a storage
    /// provider calls this beside its other stores).</summary>
    public static IServiceCollection AddToolCacheStore<TStore>(this IServiceCollection services) where TStore : class, IToolCacheStore
    {
        services.TryAddSingleton<IToolCacheStore, TStore>();
        services.TryAddKeyedSingleton<IDistributedCache>(Key, (sp, _) => sp.GetRequiredService<IToolCacheStore>());
        return services;
    }
}
