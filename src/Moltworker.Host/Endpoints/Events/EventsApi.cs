using System.Text;
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
/// events behind is disconnected (the connection is aborted) and may reconnect with its last id. Streams end when the host
/// stops. Needs the <c>read</c> scope.
/// </summary>
public static class EventsApi
{
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
        using var feed = await EventFeed.OpenAsync(recorder, log, request.Query, request.AfterId, settings.SubscriberBuffer, context.RequestAborted);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, feed.Dropped, lifetime.ApplicationStopping);
        try
        {
            await WriteAsync(response, ": connected\n\n", stop.Token);
            var pulse = new Heartbeat(settings.Heartbeat, time);
            while (await pulse.NextAsync(feed, stop.Token) is { } next)
            {
                if (next.Count == 0)
                {
                    await WriteAsync(response, ": heartbeat\n\n", stop.Token);
                    continue;
                }
                var text = new StringBuilder();
                foreach (var e in next) text.Append("id: ").Append(e.Id).Append("\nevent: ").Append(e.Name).Append("\ndata: ").Append(e.ToJson()).Append("\n\n");
                await WriteAsync(response, text.ToString(), stop.Token);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }   // the client went away mid-write
        if (feed.WasDropped) context.Abort();   // fell behind: end it now rather than wait for a client that may not read
        return Results.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
