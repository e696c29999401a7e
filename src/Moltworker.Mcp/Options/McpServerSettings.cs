namespace Moltworker.Mcp.Options;

/// <summary>
/// One MCP server (<c>Moltworker:Mcp:Servers:&lt;name&gt;</c>): a command to start and talk to over stdio, or a URL
/// to talk to over HTTP; plus the metadata its tools get, since MCP has no notion of them beyond its hints.
/// </summary>
public sealed class McpServerSettings
{
    /// <summary><c>false</c> leaves the server out altogether.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The program to start (stdio transport).</summary>
    public string? Command { get; set; }

    /// <summary>Arguments of <c>Command</c>.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Variables set for the started program on top of the host's own (values are never logged).</summary>
    public Dictionary<string, string?> Environment { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Working directory of <c>Command</c>; the host's when empty.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The server's endpoint (HTTP transport: Streamable HTTP, falling back to SSE).</summary>
    public string? Url { get; set; }

    /// <summary>Headers sent with every HTTP request, e.g. <c>Authorization</c> (values are never logged).</summary>
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>May its tools run in parallel with other tools of the same model response. Null: each tool decides by its
    /// MCP annotations (<c>readOnlyHint</c> means yes); a value here overrides every tool's annotations.</summary>
    public bool? ParallelSafe { get; set; }

    /// <summary>Do its tools change anything. Null: true unless the tool's MCP annotations say <c>readOnlyHint</c>; a value
    /// here overrides every tool's annotations.</summary>
    public bool? SideEffects { get; set; }

    /// <summary>Does running one of its tools twice have the effect of running it once (safe to retry and to run again
    /// after a crash). Null: the tool's MCP annotation <c>idempotentHint</c>; a value here overrides it.</summary>
    public bool? Idempotent { get; set; }

    /// <summary>Per-call timeout in seconds; 0 leaves it to <c>Moltworker:Tools</c>.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>Marks every tool of the server as needing approval: each call waits for a person (docs/approvals.md).</summary>
    public bool NeedsApproval { get; set; }

    /// <summary>The transport this entry describes, or an error text when it is incomplete.</summary>
    public string? Problem => (Command, Url) switch
    {
        (null or "", null or "") => "neither Command nor Url is set",
        ({ Length: > 0 }, { Length: > 0 }) => "both Command and Url are set; choose one",
        (_, { Length: > 0 } url) when !Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") => "Url is not an absolute http(s) URL",
        _ => null,
    };
}
