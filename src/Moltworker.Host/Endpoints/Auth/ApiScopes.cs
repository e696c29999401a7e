namespace Moltworker.Host.Endpoints.Auth;

/// <summary>What an API key may do. Each /api route (and /mcp) needs one scope; <see cref="Admin"/> may do everything.
/// The scopes are also the names of the authorization policies.</summary>
public static class ApiScopes
{
    /// <summary>The claim type that carries a scope.</summary>
    public const string Claim = "scope";

    /// <summary>POST /api/chat, chat messages on /api/ws, POST /api/tasks/{id}/cancel; POST and DELETE /api/schedules, pausing and resuming one.</summary>
    public const string Chat = "chat";

    /// <summary>Reading routes: /api/events, /api/ws, /api/tasks and a task's events, GET /api/schedules.</summary>
    public const string Read = "read";

    /// <summary>The MCP server at <c>/mcp</c>: list the host's tools and call them (each call a task of its own).</summary>
    public const string Tools = "tools";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Chat, Read, Tools, Admin];
}
