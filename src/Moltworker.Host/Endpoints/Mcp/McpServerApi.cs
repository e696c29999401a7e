using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Moltworker.Host.Endpoints.Auth;

namespace Moltworker.Host.Endpoints.Mcp;

/// <summary>
/// <c>/mcp</c>: the host's tools for MCP clients over Streamable HTTP (ModelContextProtocol.AspNetCore). Sessions are
/// stateful, so a session hears <c>notifications/tools/list_changed</c> when a plugin comes or goes. The route needs the
/// <c>tools</c> scope (<see cref="ApiScopes.Tools"/>); it is JSON-RPC described by the MCP specification, so it is not
/// in the OpenAPI document. Settings: <see cref="ToolServerOptions"/>.
/// </summary>
public static class McpServerApi
{
    public const string Route = "/mcp";

    public static IServiceCollection AddMcpToolServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolServerOptions>().Bind(configuration.GetSection(ToolServerOptions.Section))
            .Validate(o => o.ApprovalWait >= TimeSpan.Zero, "Moltworker:McpServer:ApprovalWait must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<McpToolCalls>();
        services.AddSingleton<HostToolCollection>();
        services.AddSingleton<HostToolList>();
        services.AddMcpServer().WithHttpTransport(o => o.Stateless = false);
        services.AddOptions<McpServerOptions>().Configure<HostToolCollection>((o, tools) =>
        {
            o.ServerInfo = new Implementation { Name = "moltworker", Version = typeof(McpServerApi).Assembly.GetName().Version?.ToString() ?? "1.0" };
            o.Capabilities ??= new ServerCapabilities();
            o.Capabilities.Tools = new ToolsCapability { ListChanged = true };
            o.ToolCollection = tools.Tools;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapMcpToolServer(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<ToolServerOptions>>().Value.Enabled) return endpoints;
        endpoints.MapMcp(Route).RequireAuthorization(ApiScopes.Tools).ExcludeFromDescription().Add(endpoint =>
        {
            // The tool list is filled before the first request reaches the MCP library, not while the host starts.
            var next = endpoint.RequestDelegate!;
            endpoint.RequestDelegate = context =>
            {
                context.RequestServices.GetRequiredService<HostToolList>().EnsureFilled();
                return next(context);
            };
        });
        return endpoints;
    }
}
