using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary><c>POST /api/ws-ticket</c> (read scope, so with the usual <c>Authorization: Bearer</c> key):
/// <c>{"ticket":"wst_…","expiresAt":"…"}</c>, a <see cref="StreamTickets"/> ticket for one <c>/api/ws</c> or
/// <c>/api/events</c> connection (<c>?ticket=</c>), with the asking key's scopes. <c>Cache-Control: no-store</c>.</summary>
public static class StreamTicketApi
{
    public static IEndpointRouteBuilder MapStreamTicketApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api").RequireRateLimiting(ApiRateLimits.ClientPolicy)
            .MapPost("/ws-ticket", (HttpContext context, StreamTickets tickets) =>
            {
                var (ticket, expiresAt) = tickets.Issue(context.User);
                context.Response.Headers.CacheControl = "no-store";
                return Results.Ok(new { ticket, expiresAt });
            }).RequireAuthorization(ApiScopes.Read);
        return endpoints;
    }
}
