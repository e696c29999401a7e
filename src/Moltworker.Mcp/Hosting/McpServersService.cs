using Microsoft.Extensions.Hosting;

namespace Moltworker.Mcp.Hosting;

/// <summary>Starts the MCP connections before any hosted service starts (none waits for a server), stops them on shutdown.</summary>
public sealed class McpServersService(McpPluginSource source) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        source.Start();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public async Task StopAsync(CancellationToken cancellationToken) => await source.DisposeAsync();
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
