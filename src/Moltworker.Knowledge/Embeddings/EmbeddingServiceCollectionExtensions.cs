using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moltworker.Kernel.Http;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>The HTTP embedding generator: <see cref="OpenAIEmbeddingGenerator"/> over the named HttpClient
/// <see cref="HttpClientName"/>, which retries transient faults with Microsoft.Extensions.Http.Resilience
/// (<see cref="TransientHttpRetry"/>, delays on the container's <see cref="TimeProvider"/>), batched by
/// <see cref="BatchingEmbeddingGenerator"/>. Reads the <see cref="EmbeddingOptions"/> singleton.</summary>
public static class EmbeddingServiceCollectionExtensions
{
    public const string HttpClientName = "Moltworker.Embeddings";

    public static IServiceCollection AddHttpEmbeddingGenerator(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .AddTransientRetry(sp => OpenAIEmbeddingGenerator.RetrySettings(sp.GetRequiredService<EmbeddingOptions>()));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var options = sp.GetRequiredService<EmbeddingOptions>();
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new BatchingEmbeddingGenerator(new OpenAIEmbeddingGenerator(options, http), options.BatchSize);
        });
        return services;
    }
}
