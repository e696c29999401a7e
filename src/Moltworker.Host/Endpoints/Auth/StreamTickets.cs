using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary>
/// Short-lived, single-use tickets that let a browser open <c>/api/ws</c> or <c>/api/events</c>, which cannot carry an
/// <c>Authorization</c> header from a browser (<c>WebSocket</c> and <c>EventSource</c> take only a URL). A client that
/// holds a key asks <c>POST /api/ws-ticket</c> for one and puts it in the stream's URL as <c>?ticket=</c>; the ticket
/// carries the scopes of the key that asked and is gone once used or after <see cref="Lifetime"/>, so a URL that ends up
/// in a log or a proxy's history opens nothing. Tickets live in memory only: a restart forgets them (clients ask again).
/// See docs/decisions/0057-console-auth.md.
/// </summary>
public sealed class StreamTickets(TimeProvider time)
{
    /// <summary>How long a ticket may wait for its connection.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>The query parameter that carries a ticket.</summary>
    public const string QueryName = "ticket";

    private readonly ConcurrentDictionary<string, Issued> _tickets = new(StringComparer.Ordinal);

    /// <summary>A new ticket for <paramref name="user"/>'s scopes and key name, valid until the returned time.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(ClaimsPrincipal user)
    {
        var now = time.GetUtcNow();
        foreach (var (text, old) in _tickets)
            if (old.ExpiresAt <= now) _tickets.TryRemove(text, out _);
        var ticket = "wst_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var issued = new Issued(user.FindAll(ApiScopes.Claim).Select(c => c.Value).ToArray(), user.FindFirst(ApiRateLimits.KeyNameClaim)?.Value, now + Lifetime);
        _tickets[ticket] = issued;
        return (ticket, issued.ExpiresAt);
    }

    /// <summary>Takes the ticket (it cannot be used again): its scopes and key name, or null when it is unknown, used
    /// or expired.</summary>
    public Issued? Redeem(string ticket)
    {
        if (!_tickets.TryRemove(ticket, out var issued)) return null;
        return issued.ExpiresAt > time.GetUtcNow() ? issued : null;
    }

    /// <summary>What a ticket grants: the scopes and name of the key that asked for it (no name: loopback without keys).</summary>
    public sealed record Issued(IReadOnlyList<string> Scopes, string? KeyName, DateTimeOffset ExpiresAt);
}
