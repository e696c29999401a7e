using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.State;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary>
/// Authenticates <c>/api</c> and <c>/mcp</c> requests by <c>Authorization: Bearer &lt;key&gt;</c> against the stored key hashes
/// (<see cref="IApiKeyStore"/>). While no key exists, a request from loopback that sends none is let in with every scope
/// (the no-secrets quick start); any other request without a valid key is refused. Refusals are problem bodies:
/// 401 (no key, an unknown or revoked key) with <c>WWW-Authenticate: Bearer</c>, 403 (a key without the route's scope).
/// Keys are looked up on every request, so one made or revoked with <c>moltworker keys</c> counts at once.
/// The two stream routes (<c>/api/ws</c>, <c>/api/events</c>) also take a single-use <c>?ticket=</c> from
/// <see cref="StreamTickets"/> when no header is sent, because a browser cannot send one there.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IApiKeyStore keys, StreamTickets tickets)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Path.StartsWithSegments("/api") && !Request.Path.StartsWithSegments(Mcp.McpServerApi.Route)) return AuthenticateResult.NoResult();
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            if (TicketOf(Request) is { } ticket)
                return tickets.Redeem(ticket) is { } issued
                    ? Success(Principal(issued.KeyName, issued.Scopes))
                    : AuthenticateResult.Fail("The stream ticket is unknown, used or expired: get a new one with POST /api/ws-ticket.");
            if (IsLoopback(Context.Connection.RemoteIpAddress) && !await keys.AnyActiveAsync(Context.RequestAborted))
                return Success(Principal(name: null, ApiScopes.All));
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'.");
        var key = await keys.FindAsync(ApiKeyText.Hash(header["Bearer ".Length..].Trim()), Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The API key is not known.");
        if (key.IsRevoked) return AuthenticateResult.Fail($"The API key '{key.Name}' was revoked.");
        return Success(Principal(key.Name, key.Scopes));
    }

    /// <summary>The <c>ticket</c> query parameter of a request to a stream route, or null.</summary>
    private static string? TicketOf(HttpRequest request)
    {
        if (!request.Path.Equals("/api/ws", StringComparison.Ordinal) && !request.Path.Equals("/api/events", StringComparison.Ordinal)) return null;
        string? ticket = request.Query[StreamTickets.QueryName];
        return string.IsNullOrEmpty(ticket) ? null : ticket;
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) => AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    private static ClaimsPrincipal Principal(string? name, IEnumerable<string> scopes)
    {
        var claims = scopes.Select(s => new Claim(ApiScopes.Claim, s)).ToList();
        if (name is not null) claims.Add(new Claim(ApiRateLimits.KeyNameClaim, name));
        // Who the caller is: a stateful MCP session (/mcp) is bound to it, so another key cannot take the session over.
        claims.Add(new Claim(ClaimTypes.NameIdentifier, name is null ? "loopback" : $"key:{name}"));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "This route needs an API key: send 'Authorization: Bearer <key>' (make one with 'moltworker keys create').";
        Response.Headers.WWWAuthenticate = "Bearer";
        await ApiProblems.Unauthorized(detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var scope = Context.GetEndpoint()?.Metadata.GetMetadata<IAuthorizeData>()?.Policy ?? "another";
        return ApiProblems.Forbidden($"The API key lacks the '{scope}' scope.").ExecuteAsync(Context);
    }
}
