using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Http;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Memory;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Transactions;
using Moltworker.Knowledge.Answers;
using Moltworker.Knowledge.Chunking;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Memory;
using Moltworker.Knowledge.Options;
using Moltworker.Knowledge.Reranking;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Stores;
using Moltworker.Knowledge.Stores.Qdrant;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Text;
using Moltworker.Knowledge.Tools;
using Moltworker.Storage.Sqlite;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Knowledge;

public static class KnowledgeServiceCollectionExtensions
{
    /// <summary>
    /// The knowledge base: store (<c>Moltworker:Knowledge:Store</c> = Sqlite | Qdrant), embeddings (when
    /// <c>Moltworker:Embeddings</c> is configured; keyword-only otherwise), ingest, search, the
    /// <c>knowledge_search</c> tool, the ranking of long-term memories (<see cref="IMemoryRanker"/>), the no-model responder, the /healthz entry and the seed ingest at start.
    /// An <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> registered before this call is used instead of the HTTP one.
    /// </summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(KnowledgeMarker))) return services; // idempotent
        services.AddSingleton<KnowledgeMarker>();
        var knowledgeSection = configuration.GetSection(KnowledgeOptions.Section);
        var embeddingSection = configuration.GetSection(EmbeddingOptions.Section);
        services.AddOptions<KnowledgeOptions>().Bind(knowledgeSection).PostConfigure<IServiceProvider>((o, sp) =>
        {
            if (sp.GetService<IHostEnvironment>() is not { } env) return;
            if (!string.IsNullOrWhiteSpace(o.SeedFolder)) o.SeedFolder = ContentPaths.Resolve(env, o.SeedFolder, mustExist: true);
            o.IngestToolRoots = o.IngestToolRoots.Select(r => ContentPaths.Resolve(env, r, mustExist: false)).ToList();
            if (!string.IsNullOrWhiteSpace(o.SqlitePath)) o.SqlitePath = ContentPaths.Resolve(env, o.SqlitePath, mustExist: false);
        });
        services.AddOptions<EmbeddingOptions>().Bind(embeddingSection);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<KnowledgeOptions>>().Value);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);

        var store = knowledgeSection.GetValue<KnowledgeStoreKind?>(nameof(KnowledgeOptions.Store)) ?? KnowledgeStoreKind.Sqlite;
        var embeddings = embeddingSection.Get<EmbeddingOptions>() ?? new EmbeddingOptions();

        // Embeddings: an OpenAI-compatible endpoint, batched and retried; none means keyword-only.
        if (embeddings.IsConfigured) services.AddHttpEmbeddingGenerator();
        services.TryAddSingleton(sp => sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is { } generator
            ? new KnowledgeEmbedder(generator, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId)
            : KnowledgeEmbedder.None);

        // Store.
        if (store == KnowledgeStoreKind.Qdrant)
        {
            services.AddHttpClient(QdrantClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                .AddTransientRetry(sp => QdrantClient.RetrySettings(sp.GetRequiredService<KnowledgeOptions>().Qdrant));
            services.TryAddSingleton(sp =>
            {
                var options = sp.GetRequiredService<KnowledgeOptions>().Qdrant;
                if (string.IsNullOrWhiteSpace(options.Url))
                    throw new OptionsValidationException(KnowledgeOptions.Section, typeof(KnowledgeOptions),
                        ["Moltworker:Knowledge:Qdrant:Url is required when Moltworker:Knowledge:Store is Qdrant."]);
                return new QdrantClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(QdrantClient.HttpClientName), options);
            });
            services.TryAddSingleton<IKnowledgeStore>(sp => new QdrantKnowledgeStore(sp.GetRequiredService<QdrantClient>(), sp.GetRequiredService<KnowledgeOptions>().Qdrant));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(knowledgeSection[nameof(KnowledgeOptions.SqlitePath)]))
            {
                foreach (var migration in KnowledgeSchema.Migrations) services.AddSqliteMigration(migration);
                services.TryAddSingleton<IKnowledgeConnectionFactory>(sp => new SharedDatabaseConnectionFactory(sp.GetRequiredService<SqliteDatabase>()));
            }
            else
            {
                // Its own file, under the host's rules: same pragmas and migrations table, WAL checkpoints in the background.
                services.TryAddSingleton(sp => new FileConnectionFactory(sp.GetRequiredService<KnowledgeOptions>().SqlitePath!));
                services.TryAddSingleton<IKnowledgeConnectionFactory>(sp => sp.GetRequiredService<FileConnectionFactory>());
                // Not AddHostedService: that skips a second service of the same type (the host's own checkpoints).
                services.AddSingleton<IHostedService>(sp => new WalCheckpointService(sp.GetRequiredService<FileConnectionFactory>().Database,
                    sp.GetRequiredService<IOptions<StorageOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<WalCheckpointService>>()));
            }
            services.TryAddSingleton<IKnowledgeStore, SqliteKnowledgeStore>();
        }

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<KnowledgeOptions>();
            var tokens = TiktokenCounter.For(o.Tokenizer, sp.GetRequiredService<EmbeddingOptions>().Model);
            return new DocumentChunker(new ChunkingOptions(o.ChunkTokens, o.ChunkOverlapTokens) { Tokens = tokens });
        });
        services.TryAddSingleton<KnowledgeIngestor>();
        services.TryAddSingleton<IValidateOptions<KnowledgeOptions>, RerankingValidation>();
        services.AddOptions<KnowledgeOptions>().ValidateOnStart();
        services.TryAddSingleton<IReranker>(sp => new HttpReranker(CreateHttpClient(), sp.GetRequiredService<KnowledgeOptions>().Reranking));
        services.TryAddSingleton(sp => new RerankingStage(sp.GetRequiredService<IReranker>(), sp.GetRequiredService<KnowledgeOptions>().Reranking,
            sp.GetRequiredService<ILogger<RerankingStage>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<KnowledgeSearchService>();
        services.TryAddSingleton(sp => new KnowledgeAnswerService(sp.GetRequiredService<KnowledgeSearchService>(), sp.GetService<ITransactionLog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<KnowledgeAnswerService>>(), sp.GetService<IChatClient>()));
        services.Replace(ServiceDescriptor.Singleton<INoModelResponder, NoModelKnowledgeResponder>());
        services.AddPlugin<KnowledgePlugin>();
        services.TryAddSingleton<IMemoryRanker, MemoryRanker>();   // long-term memory's ranking (Kernel's Memory)
        if (knowledgeSection.GetValue<bool>(nameof(KnowledgeOptions.AllowIngestTool))) services.AddPlugin<KnowledgeIngestPlugin>();
        services.AddSingleton<IHealthContributor, KnowledgeHealth>();
        services.TryAddSingleton<KnowledgeSeedService>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeSeedService>());
        return services;
    }

    private sealed class KnowledgeMarker;

    private static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
}
