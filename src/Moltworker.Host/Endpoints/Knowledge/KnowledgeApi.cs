using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Host.Endpoints.Knowledge;

/// <summary>
/// The knowledge base over HTTP, through the services of <c>moltworker search</c> and <c>moltworker ingest</c>:
/// <c>GET /api/knowledge/search?q=&amp;top=&amp;tag=&amp;source=</c> (scope read) ranks passages;
/// <c>POST /api/knowledge/ingest</c> (scope admin) <c>{"source","text","format"?,"tags"?,"force"?}</c> adds or replaces
/// one document whose text is in the body (at most <see cref="ApiOptions.MaxIngestBytes"/>, else 413 and nothing is
/// ingested). Ingesting the same text again changes nothing (the ingestor's hash check).
/// </summary>
public static class KnowledgeApi
{
    public const int MaxTop = 50;
    public const int MaxSourceLength = 1000;

    public sealed record Passage(int Rank, double Score, string DocumentId, string Source, string Title, IReadOnlyList<string> HeadingPath, string Text);
    public sealed record SearchResults(string Query, string Mode, string? Note, IReadOnlyList<Passage> Hits);

    /// <param name="Source">Names the document in citations and identifies it: the same source again replaces it (e.g. <c>notes/oncall.md</c> or a URL).</param>
    /// <param name="Format">markdown (default), plaintext, html or code.</param>
    public sealed record IngestBody(string? Source, string? Text, string? Format = null, IReadOnlyList<string>? Tags = null, bool Force = false);
    public sealed record IngestResult(string DocumentId, string Source, bool Added, bool Updated, bool Unchanged, int Chunks, string Mode);

    public static IEndpointRouteBuilder MapKnowledgeApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/knowledge").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("/search", async (string? q, string? top, string[]? tag, string? source, KnowledgeSearchService search, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q)) return ApiProblems.BadRequest("q (what to look for) is required");
            var query = new ApiQuery();
            var count = query.Number(top, "top", 0, 1, MaxTop);
            if (query.Problem is { } problem) return ApiProblems.BadRequest(problem);
            var filter = new SearchFilter { Tags = tag ?? [], Source = string.IsNullOrWhiteSpace(source) ? null : source };
            var results = await search.SearchAsync(q, count == 0 ? null : count, filter, ct);
            return Results.Ok(new SearchResults(results.Query, results.Mode, results.Note, results.Hits.Select(h =>
                new Passage(h.Rank, h.Score, h.Chunk.DocumentId, h.Chunk.Source, h.Chunk.Title, h.Chunk.HeadingPath, h.Chunk.Text)).ToList()));
        }).RequireAuthorization(ApiScopes.Read).Produces<SearchResults>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Ranked passages of the knowledge base");

        api.MapPost("/ingest", async (HttpContext context, IOptions<ApiOptions> options, KnowledgeIngestor ingestor, TimeProvider time, CancellationToken ct) =>
        {
            var limit = options.Value.MaxIngestBytes;
            var (body, refusal) = await ApiJson.ReadAsync<IngestBody>(context, limit,
                $"the body must be at most {limit} bytes (Moltworker:Api:MaxIngestBytes); nothing was ingested", ct);
            if (refusal is not null) return refusal;
            var query = new ApiQuery();
            var format = query.Choice(body!.Format, "format", DocumentFormat.Markdown);
            if ((Problem(body) ?? query.Problem) is { } problem) return ApiProblems.BadRequest(problem);
            var document = DocumentReader.FromText(body.Source!, body.Text!, format, time.GetUtcNow(), body.Tags?.Where(t => !string.IsNullOrWhiteSpace(t)).ToList());
            var summary = await ingestor.IngestDocumentAsync(document, body.Force, ct);
            return Results.Ok(new IngestResult(document.Id, document.Source, summary.Added == 1, summary.Updated == 1, summary.Unchanged == 1, summary.Chunks, summary.Mode));
        }).RequireAuthorization(ApiScopes.Admin).Accepts<IngestBody>("application/json").Produces<IngestResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Add or replace one document of the knowledge base (admin)");
        return endpoints;
    }

    /// <summary>Why <paramref name="body"/> is refused with 400; null when it is acceptable.</summary>
    public static string? Problem(IngestBody body) =>
        string.IsNullOrWhiteSpace(body.Source) ? "source is required (the document's name in citations, e.g. notes/oncall.md)"
        : body.Source.Length > MaxSourceLength ? $"source must be at most {MaxSourceLength} characters"
        : string.IsNullOrWhiteSpace(body.Text) ? "text is required (the document's content)"
        : null;
}
