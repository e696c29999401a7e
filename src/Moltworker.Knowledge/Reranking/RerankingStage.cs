using Microsoft.Extensions.Logging;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Reranking;

/// <summary>
/// The optional second stage: sends the first <see cref="RerankingOptions.TopN"/> candidates (each with its document
/// title and section path) to the reranker and orders them by its scores, within <see cref="RerankingOptions.Timeout"/>
/// on the injected clock. When the reranker fails or runs out of time the first-stage order is kept, with a note; the
/// reason is logged once, and again only after a reranking has succeeded in between.
/// </summary>
public sealed partial class RerankingStage(IReranker? reranker, RerankingOptions options, ILogger<RerankingStage> logger, TimeProvider? time = null)
{
    private int _failing;

    public bool IsEnabled => reranker is not null && options.IsEnabled;

    /// <summary>How many first-stage results to ask for so that <paramref name="top"/> remain after reranking.</summary>
    public int Candidates(int top) => IsEnabled ? Math.Max(top, options.TopN) : top;

    public async Task<(IReadOnlyList<SearchHit> Hits, string? Note)> RerankAsync(string query, IReadOnlyList<SearchHit> hits, int top, CancellationToken cancellationToken)
    {
        if (!IsEnabled || hits.Count < 2) return (Renumber(hits.Take(top)), null);
        var head = hits.Take(options.TopN).ToList();
        string reason;
        using (var budget = new CancellationTokenSource(options.Timeout, time ?? TimeProvider.System))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token))
        {
            try
            {
                var order = await reranker!.RerankAsync(query, head.Select(Document).ToList(), linked.Token);
                Interlocked.Exchange(ref _failing, 0);
                var placed = new HashSet<int>();
                var reordered = order.Where(o => placed.Add(o.Index)).Select(o => head[o.Index] with { Score = o.Score })
                    .Concat(head.Where((_, i) => !placed.Contains(i)))
                    .Concat(hits.Skip(head.Count));
                return (Renumber(reordered.Take(top)), null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                reason = $"no answer within {options.Timeout.TotalSeconds:0.###} s";
            }
            catch (RerankException ex)
            {
                reason = ex.Message;
            }
            catch (HttpRequestException ex)
            {
                reason = $"the reranker cannot be reached: {ex.Message}";
            }
        }
        if (Interlocked.Exchange(ref _failing, 1) == 0) LogFallback(logger, reason);
        return (Renumber(hits.Take(top)), $"Reranking failed ({reason}): first-stage order.");
    }

    /// <summary>What the reranker reads: the passage under its document title and section path.</summary>
    private static string Document(SearchHit hit) => CitationFormatter.Place(hit) + "\n" + hit.Chunk.Text;

    private static List<SearchHit> Renumber(IEnumerable<SearchHit> hits) => hits.Select((h, i) => h with { Rank = i + 1 }).ToList();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reranking failed, keeping the first-stage order: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);
}
