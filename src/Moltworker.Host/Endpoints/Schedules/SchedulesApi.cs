using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Endpoints.Schedules;

/// <summary>
/// <c>/api/schedules</c>: <c>GET</c> (scope read; <c>?channel=telegram&amp;chatId=42</c> narrows to one chat) lists
/// schedules soonest first; <c>POST</c> (scope chat) <c>{"channel","chatId","userId"?,"when","timeZone"?,"what"}</c>
/// adds one with the same checks as <c>/schedule add</c> (201 with the schedule; 400 with the reason when it is refused);
/// <c>POST /api/schedules/{id}/pause</c> and <c>/resume</c> (scope chat) pause and resume one (200 with the schedule; 404
/// when there is none; 400 when a one-off's time passed while it was paused); <c>DELETE /api/schedules/{id}</c> (scope
/// chat) removes one (204; 404 when there is none). Errors are problem bodies.
/// </summary>
public static class SchedulesApi
{
    public sealed record AddRequest(string? Channel, string? ChatId, string? UserId, string? When, string? TimeZone, string? What);

    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/schedules").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("", async (string? channel, string? chatId, ScheduleService schedules, CancellationToken ct) =>
        {
            if ((channel is null) != (chatId is null)) return ApiProblems.BadRequest("give both channel and chatId, or neither");
            var chat = channel is null ? null : new ChatAddress(channel, chatId!);
            return Results.Ok((await schedules.ListAsync(chat, ct)).Select(ScheduleJson.From));
        }).RequireAuthorization(ApiScopes.Read).ProducesProblem(StatusCodes.Status400BadRequest).WithSummary("Schedules, soonest first");

        api.MapPost("", async (HttpContext context, ScheduleService schedules, CancellationToken ct) =>
        {
            if (!context.Request.HasJsonContentType()) return ApiProblems.UnsupportedMediaType("the body must be JSON (Content-Type: application/json)");
            AddRequest? request;
            try { request = await context.Request.ReadFromJsonAsync<AddRequest>(ct); }
            catch (JsonException ex) { return ApiProblems.BadRequest($"the body is not valid JSON: {ex.Message}"); }
            if (Problem(request) is { } problem) return ApiProblems.BadRequest(problem);
            try
            {
                var schedule = await schedules.AddAsync(new ChatAddress(request!.Channel!, request.ChatId!, request.UserId), request.When!, request.TimeZone, request.What!, ct);
                return Results.Created($"/api/schedules/{schedule.Id}", ScheduleJson.From(schedule));
            }
            catch (ScheduleRefusedException ex) { return ApiProblems.BadRequest(ex.Message); }
        }).RequireAuthorization(ApiScopes.Chat).Accepts<AddRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).WithSummary("Add a schedule");

        api.MapPost("/{id}/pause", async (string id, ScheduleService schedules, CancellationToken ct) =>
            await schedules.PauseAsync(id, null, ct) is { } paused ? Results.Ok(ScheduleJson.From(paused)) : NotFound(id))
            .RequireAuthorization(ApiScopes.Chat).Produces<ScheduleJson>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Pause a schedule: it does not run until resumed");

        api.MapPost("/{id}/resume", async (string id, ScheduleService schedules, CancellationToken ct) =>
        {
            try { return await schedules.ResumeAsync(id, null, ct) is { } resumed ? Results.Ok(ScheduleJson.From(resumed)) : NotFound(id); }
            catch (ScheduleRefusedException ex) { return ApiProblems.BadRequest(ex.Message); }
        }).RequireAuthorization(ApiScopes.Chat).Produces<ScheduleJson>().ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Resume a paused schedule; its next run is counted from now");

        api.MapDelete("/{id}", async (string id, ScheduleService schedules, CancellationToken ct) =>
            await schedules.RemoveAsync(id, null, ct) ? Results.NoContent() : NotFound(id))
            .RequireAuthorization(ApiScopes.Chat).Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).WithSummary("Remove a schedule");
        return endpoints;
    }

    private static IResult NotFound(string id) =>
        Results.Problem($"there is no schedule {id}", statusCode: StatusCodes.Status404NotFound, title: "No such schedule",
            type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");

    /// <summary>Why <paramref name="request"/> is refused with 400 before its timing is read; null when it has every field.</summary>
    public static string? Problem(AddRequest? request) =>
        request is null ? "the body must be a JSON object"
        : string.IsNullOrWhiteSpace(request.Channel) ? "channel is required (e.g. \"telegram\")"
        : string.IsNullOrWhiteSpace(request.ChatId) ? "chatId is required"
        : string.IsNullOrWhiteSpace(request.When) ? "when is required (a cron expression, \"every 20m\", \"in 20 minutes\" or a time)"
        : string.IsNullOrWhiteSpace(request.What) ? "what is required (a /command or a prompt)"
        : null;
}
