using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Moltworker.Mcp.Options;

namespace Moltworker.Mcp.Connections;

/// <summary>Builds the MCP client transport a server entry describes: stdio (a started program) or HTTP.</summary>
public static class McpTransports
{
    public static IClientTransport Create(string name, McpServerSettings settings, McpOptions options, ILoggerFactory loggers, Action<string>? standardErrorLine = null)
    {
        if (!string.IsNullOrEmpty(settings.Command))
        {
            return new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = name,
                Command = settings.Command,
                Arguments = settings.Arguments.ToList(),
                EnvironmentVariables = new Dictionary<string, string?>(settings.Environment),
                WorkingDirectory = string.IsNullOrEmpty(settings.WorkingDirectory) ? null : settings.WorkingDirectory,
                StandardErrorLines = standardErrorLine,
                ShutdownTimeout = options.ShutdownTimeout,
            }, loggers);
        }
        return new HttpClientTransport(new HttpClientTransportOptions
        {
            Name = name,
            Endpoint = new Uri(settings.Url!),
            AdditionalHeaders = new Dictionary<string, string>(settings.Headers),
        }, loggers);
    }
}
