namespace Moltworker.Host.Endpoints.Mcp;

/// <summary><c>Moltworker:McpServer</c>: the host's own tools offered to MCP clients at <c>/mcp</c> (Streamable HTTP).</summary>
public sealed class ToolServerOptions
{
    public const string Section = "Moltworker:McpServer";

    /// <summary>Serve <c>/mcp</c> (default true). It needs an API key with the <c>tools</c> scope, like every other route
    /// needs its scope (loopback without any key defined needs none).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a <c>tools/call</c> that needs a person's approval waits for the answer before it returns an error
    /// result naming the approval id (default 00:00:30). The call still runs once approved; its task then holds the result.</summary>
    public TimeSpan ApprovalWait { get; set; } = TimeSpan.FromSeconds(30);
}
