using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tasks;

namespace Moltworker.Host.Endpoints.Tasks;

/// <summary>
/// The <c>tasks</c> routes: <c>GET /api/tasks</c> (newest first; <c>status</c>, <c>chat</c>, <c>channel</c>,
/// <c>offset</c>, <c>limit</c> up to <see cref="MaxLimit"/>), <c>GET /api/tasks/{id}</c>, <c>GET /api/tasks/{id}/events</c>
/// (the task's whole stored event log, oldest first, for replay), <c>GET /api/tasks/{id}/threads</c> (the tree of its
/// agents' threads with their usage, from the thread store) with the <c>read</c> scope, and
/// <c>POST /api/tasks/{id}/cancel</c> with the <c>chat</c> scope (whoever may start a turn may stop one; admin may too).
/// Every refusal is a problem body: 400 for a bad filter, 404 for an unknown task, 409 for a task that cannot be cancelled.
/// </summary>
public static class TasksApi
{
    public const int MaxLimit = 200;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var tasks = endpoints.MapGroup("/api/tasks").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        tasks.MapGet("/", ListAsync).RequireAuthorization(ApiScopes.Read);
        tasks.MapGet("/{id}", async (string id, ITaskStore store, RunningTasks running, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } task ? Results.Ok(TaskView.Of(task, running)) : NotFound(id)).RequireAuthorization(ApiScopes.Read);
        tasks.MapGet("/{id}/events", EventsAsync).RequireAuthorization(ApiScopes.Read);
        tasks.MapGet("/{id}/threads", ThreadsAsync).RequireAuthorization(ApiScopes.Read);
        tasks.MapPost("/{id}/cancel", TaskCancellation.CancelAsync).RequireAuthorization(ApiScopes.Chat);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ITaskStore store, RunningTasks running, CancellationToken ct)
    {
        var (query, problem) = TaskListRequest.From(request.Query, MaxLimit);
        if (query is null) return ApiProblems.BadRequest(problem!);
        var page = await store.ListAsync(query, ct);
        return Results.Ok(new
        {
            tasks = page.Select(t => TaskView.Of(t, running)),
            offset = query.Offset,
            limit = query.Limit,
            nextOffset = page.Count == query.Limit ? query.Offset + page.Count : (int?)null,
        });
    }

    /// <summary>Every stored event of the task (events still queued for the log are written first).</summary>
    private static async Task<IResult> EventsAsync(string id, ITaskStore store, IEventLog log, EventRecorder recorder, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is null) return NotFound(id);
        await recorder.FlushAsync(ct);
        var all = new JsonArray();
        var query = new EventQuery { TaskId = id, Limit = 1000 };
        while (true)
        {
            var page = await log.ReadAsync(query, ct);
            foreach (var e in page) all.Add(JsonNode.Parse(e.ToJson()));
            if (page.Count < query.Limit) break;
            query = query with { AfterId = page[^1].Id };
        }
        return Results.Ok(new JsonObject { ["taskId"] = id, ["events"] = all });
    }

    /// <summary>The task's thread tree. A host without a thread store shows the root alone.</summary>
    private static async Task<IResult> ThreadsAsync(string id, HttpContext http, ITaskStore store, ModelCatalog models, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } task) return NotFound(id);
        var threads = http.RequestServices.GetService<ITaskThreadStore>() is { } stored ? await stored.ListAsync(id, ct) : [];
        return Results.Ok(ThreadTreeView.Of(ThreadTree.Build(task, threads, models)));
    }

    internal static IResult NotFound(string id) =>
        Results.Problem($"There is no task '{id}' (it may have been deleted by retention).", statusCode: StatusCodes.Status404NotFound,
            title: "No such task", type: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
}
