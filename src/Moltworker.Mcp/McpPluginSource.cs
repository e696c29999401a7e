using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Plugins;
using Moltworker.Mcp.Connections;
using Moltworker.Mcp.Options;

namespace Moltworker.Mcp;

/// <summary>
/// The configured MCP servers as plugins, one per enabled server, named after it. The host starts the connections
/// before its other services (<see cref="Hosting.McpServersService"/>) and does not wait for them: a server shows up
/// when it answers. Without a started host (CLI verbs) the first read starts them and waits for each first attempt.
/// Each connection logs its own failures, so the catalog does not log them again.
/// </summary>
public sealed class McpPluginSource : ISelfReportingPluginSource, IAsyncDisposable, IDisposable
{
    private readonly IReadOnlyList<McpServerConnection> _connections;
    private readonly TimeSpan _firstAttemptBound;
    private int _started;

    public McpPluginSource(IOptions<McpOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        var o = options.Value;
        _firstAttemptBound = o.ConnectTimeout + TimeSpan.FromSeconds(5);
        _connections = o.Servers.Where(s => s.Value.Enabled).OrderBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .Select(s => new McpServerConnection(s.Key, s.Value, o, time, loggers)).ToList();
        foreach (var connection in _connections) connection.Changed += () => Changed?.Invoke();
    }

    /// <summary>After compiled-in (0) and drop-in (100) plugins: an MCP tool whose name is taken gets the server's name as prefix.</summary>
    public int Order => 200;

    public IReadOnlyList<McpServerConnection> Connections => _connections;

    public IReadOnlyList<PluginDescriptor> Plugins
    {
        get
        {
            if (Start()) Task.WhenAll(_connections.Select(c => c.FirstAttempt)).Wait(_firstAttemptBound);
            return _connections.Select(c => c.Current).OfType<PluginDescriptor>().ToList();
        }
    }

    public event Action? Changed;

    /// <summary>Starts every connection (once); true when this call started them.</summary>
    public bool Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) return false;
        foreach (var connection in _connections) connection.Start();
        return true;
    }

    /// <summary>Completes when every server's first attempt ended.</summary>
    public Task FirstAttempts => Task.WhenAll(_connections.Select(c => c.FirstAttempt));

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>For hosts disposed synchronously (the CLI verbs' <c>using var app</c>): stops the servers all the same.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
