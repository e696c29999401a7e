namespace Moltworker.Mcp.Options;

/// <summary>Settings bound from <c>Moltworker:Mcp</c>: the MCP servers to use as plugins, and how to retry them.</summary>
public sealed class McpOptions
{
    public const string Section = "Moltworker:Mcp";

    /// <summary>One entry per server, keyed by the server's name (which becomes the plugin name).</summary>
    public Dictionary<string, McpServerSettings> Servers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>First wait before retrying a server that failed or went away; doubles on every failure in a row.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the retry wait.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long starting a server and the MCP handshake plus the tool list may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a started server gets to exit after its stdin is closed before it is killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
