using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Events;

namespace Moltworker.Host.Endpoints.Events;

/// <summary>
/// <c>/api/ws</c>: a WebSocket (ASP.NET Core's) that carries the same events as <c>/api/events</c> and chat.
/// The server sends text messages <c>{"type":"event","event":{…}}</c>, <c>{"type":"answer",…}</c> and
/// <c>{"type":"error",…}</c>; the client may send <c>{"type":"chat","chatId","text","messageId"}</c>, which goes
/// through the same durable inbox as <c>POST /api/chat</c> (needs the <c>chat</c> scope). Filters and resuming are
/// those of <see cref="StreamRequest"/>. The server pings every <c>Moltworker:Events:Heartbeat</c> and drops a peer that
/// does not answer within <c>PingTimeout</c>; a client that falls behind is closed with <see cref="SocketCloseCodes.TooSlow"/>.
/// Needs the <c>read</c> scope.
/// </summary>
public static class EventSocketApi
{
    public static IEndpointRouteBuilder MapEventSocketApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy);
        api.MapGet("/ws", async (HttpContext context) =>
        {
            if (!context.WebSockets.IsWebSocketRequest) return ApiProblems.BadRequest("/api/ws takes WebSocket requests only (Upgrade: websocket)");
            var (request, problem) = StreamRequest.From(context.Request);
            if (request is null) return ApiProblems.BadRequest(problem!);
            var session = ActivatorUtilities.CreateInstance<EventSocketSession>(context.RequestServices, context, request);
            await session.RunAsync();
            return Results.Empty;
        }).RequireAuthorization(ApiScopes.Read);
        return endpoints;
    }
}
