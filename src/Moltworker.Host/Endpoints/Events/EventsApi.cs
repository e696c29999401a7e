using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Options;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>
/// <c>GET /api/events</c>: the event stream as Server-Sent Events (<c>text/event-stream</c>), each event as
/// <c>id:</c> (its global id), <c>event:</c> (its wire name) and <c>data:</c> (the event as JSON), filtered by
/// <c>task</c>, <c>chat</c> and <c>channel</c>. With <c>Last-Event-ID</c> it first replays the stored events after that
/// id, then goes on live with no gap and no duplicate (<see cref="EventFeed"/>). A comment line is sent after
/// <see cref="EventsOptions.Heartbeat"/> without events. A client that falls <see cref="EventsOptions.SubscriberBuffer"/>
/// events behind is disconnected (the connection is aborted) and may reconnect with its last id. Each wake-up writes
/// every event buffered by then in one write and one flush, from frames encoded once per event
/// (<see cref="LiveEvent.Sse"/>). Streams end when the host stops. Needs the <c>read</c> scope.
/// </summary>
public static class EventsApi
{
    private static readonly byte[] Connected = ": connected\n\n"u8.ToArray();
    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("/events", StreamAsync).RequireAuthorization(ApiScopes.Read);
        return endpoints;
    }

    private static async Task<IResult> StreamAsync(HttpContext context, EventRecorder recorder, IEventLog log, IOptions<EventsOptions> options, TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        var (request, problem) = StreamRequest.From(context.Request);
        if (request is null) return ApiProblems.BadRequest(problem!);
        var settings = options.Value;
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var feed = await EventFeed.OpenAsync(recorder, log, request.Query, request.AfterId, settings.SubscriberBuffer,
            new StreamPacer(recorder.Hub, settings.StreamWriteRate, time), time, ends.Token, context.RequestAborted);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ends.Token, feed.Dropped);
        var body = response.BodyWriter;
        try
        {
            body.Write(Connected);
            if ((await body.FlushAsync(stop.Token)).IsCompleted) return Results.Empty;
            // An empty batch: nothing for a heartbeat interval, send a comment.
            while (await feed.NextAsync(settings.Heartbeat, stop.Token) is { } next)
            {
                // Everything buffered goes out in one write and one flush; each frame was encoded once for all streams.
                if (next.Count == 0) body.Write(HeartbeatComment);
                WriteTogether(body, next);
                if (!feed.Intact(next)) break;   // the ring moved past what was copied: dropped, the copy is not sent
                if ((await body.FlushAsync(stop.Token)).IsCompleted) break;   // the client went away
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }   // the client went away mid-write
        if (feed.WasDropped) context.Abort();   // fell behind: end it now rather than wait for a client that may not read
        return Results.Empty;
    }

    /// <summary>Copies the frames into the body's buffer back to back, committing once per buffer-full instead of one
    /// pass through the response's write path per event.</summary>
    private static void WriteTogether(PipeWriter body, IReadOnlyList<LiveEvent> events)
    {
        var span = body.GetSpan();
        var used = 0;
        for (var i = 0; i < events.Count; i++)   // by index: no enumerator per write
        {
            var frame = events[i].Sse.Span;
            if (frame.Length > span.Length - used)
            {
                if (used > 0) body.Advance(used);
                span = body.GetSpan(frame.Length);
                used = 0;
            }
            frame.CopyTo(span[used..]);
            used += frame.Length;
        }
        if (used > 0) body.Advance(used);
    }
}
