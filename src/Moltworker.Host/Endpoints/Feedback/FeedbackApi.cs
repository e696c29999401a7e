using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Feedback;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Feedback;

/// <summary>
/// <c>POST /api/feedback</c> (scope chat) <c>{"taskId","rating":1-5,"note"?}</c> stores a rating of a task's answer (201;
/// 400 for a rating outside 1-5 or a note over <see cref="FeedbackRecord.MaxNoteLength"/> characters; 404 for an unknown
/// task). <c>GET /api/feedback?taskId=&amp;limit=</c> (scope read) lists ratings, newest first.
/// </summary>
public static class FeedbackApi
{
    public const int MaxList = 1000;

    public sealed record FeedbackBody(string? TaskId, int? Rating, string? Note = null);
    public sealed record FeedbackView(long Id, string TaskId, int Rating, string? Note, string By, DateTimeOffset CreatedAt);
    public sealed record FeedbackList(IReadOnlyList<FeedbackView> Feedback);

    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/feedback").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapPost("", async (HttpContext context, ITaskStore tasks, IFeedbackStore store, TimeProvider time, CancellationToken ct) =>
        {
            var (body, refusal) = await ApiJson.ReadAsync<FeedbackBody>(context, 64 * 1024, null, ct);
            if (refusal is not null) return refusal;
            if (Problem(body!) is { } problem) return ApiProblems.BadRequest(problem);
            if (await tasks.GetAsync(body!.TaskId!, ct) is null) return ApiProblems.NotFound("No such task", $"there is no task {body.TaskId}");
            var by = context.User.FindFirst(ApiRateLimits.KeyNameClaim)?.Value ?? "loopback";
            var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
            var stored = await store.AddAsync(new FeedbackRecord(body.TaskId!, body.Rating!.Value, note, by, time.GetUtcNow()), ct);
            return Results.Created($"/api/feedback?taskId={Uri.EscapeDataString(stored.TaskId)}", View(stored));
        }).RequireAuthorization(ApiScopes.Chat).Accepts<FeedbackBody>("application/json").Produces<FeedbackView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Rate a task's answer from 1 to 5, with an optional note");

        api.MapGet("", async (string? taskId, string? limit, IFeedbackStore store, CancellationToken ct) =>
        {
            var query = new ApiQuery();
            var count = query.Number(limit, "limit", 100, 1, MaxList);
            if (query.Problem is { } problem) return ApiProblems.BadRequest(problem);
            var rows = await store.ListAsync(string.IsNullOrWhiteSpace(taskId) ? null : taskId, count, ct);
            return Results.Ok(new FeedbackList(rows.Select(View).ToList()));
        }).RequireAuthorization(ApiScopes.Read).Produces<FeedbackList>().ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Ratings, newest first, of one task or all");
        return endpoints;
    }

    /// <summary>Why <paramref name="body"/> is refused with 400; null when it is acceptable.</summary>
    public static string? Problem(FeedbackBody body) =>
        string.IsNullOrWhiteSpace(body.TaskId) ? "taskId is required"
        : body.Rating is not (>= FeedbackRecord.MinRating and <= FeedbackRecord.MaxRating) ? $"rating must be a whole number from {FeedbackRecord.MinRating} to {FeedbackRecord.MaxRating}"
        : body.Note is { Length: > FeedbackRecord.MaxNoteLength } ? $"note must be at most {FeedbackRecord.MaxNoteLength} characters"
        : null;

    private static FeedbackView View(FeedbackRecord f) => new(f.Id, f.TaskId, f.Rating, f.Note, f.By, f.CreatedAt);
}
