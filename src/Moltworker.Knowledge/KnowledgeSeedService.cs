using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Kernel.State;
using Moltworker.Knowledge.Embeddings;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge;

/// <summary>Ingests the curated <c>knowledge/</c> folder when the host starts (in the background; unchanged
/// documents are skipped, documents removed from the folder are pruned). A failure is logged, never fatal. A folder whose
/// <see cref="SeedFolderFingerprint"/> equals the one recorded after the last complete seed is not read at all
/// (<see cref="Completion"/> is then null).</summary>
public sealed partial class KnowledgeSeedService(KnowledgeIngestor ingestor, KnowledgeOptions options, KnowledgeEmbedder embedder, IKeyValueStore settings,
    ILogger<KnowledgeSeedService> logger) : BackgroundService
{
    /// <summary>Completes when the seed ingest has finished (or was skipped or failed).</summary>
    public Task<IngestSummary?> Completion => _completion.Task;

    private readonly TaskCompletionSource<IngestSummary?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (!options.IngestSeedOnStart || string.IsNullOrWhiteSpace(options.SeedFolder) || !Directory.Exists(options.SeedFolder))
        {
            _completion.TrySetResult(null);
            return;
        }
        try
        {
            var fingerprint = SeedFolderFingerprint.Compute(options.SeedFolder, options, embedder);
            if (await settings.GetAsync(SeedFolderFingerprint.Key, stoppingToken) == fingerprint)
            {
                LogUnchanged(logger, options.SeedFolder);
                _completion.TrySetResult(null);
                return;
            }
            var summary = await ingestor.IngestAsync(new IngestRequest([options.SeedFolder]) { Prune = true, Tags = ["moltworker"] }, null, stoppingToken);
            if (summary.Failures.Count == 0) await settings.SetAsync(SeedFolderFingerprint.Key, fingerprint, stoppingToken);
            _completion.TrySetResult(summary);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            LogSeedFailed(logger, options.SeedFolder, ex.Message);
            _completion.TrySetResult(null);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The curated knowledge folder {Folder} is unchanged since the last start; not read again")]
    private static partial void LogUnchanged(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ingest the curated knowledge folder {Folder}: {Error}")]
    private static partial void LogSeedFailed(ILogger logger, string folder, string error);
}
