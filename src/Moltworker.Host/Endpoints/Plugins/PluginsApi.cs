using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Moltworker.Host.Endpoints.Auth;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Host.Endpoints.Plugins;

/// <summary><c>GET /api/plugins</c> (scope read): the plugin catalog as <c>moltworker plugins list</c> shows it: loaded
/// plugins with their tools, and plugins that failed to load with the reason.</summary>
public static class PluginsApi
{
    public sealed record ToolView(string Name, string Description);
    public sealed record LoadedPlugin(string Name, string Origin, string? Version, IReadOnlyList<ToolView> Tools);
    public sealed record FailedPlugin(string Name, string Origin, string Error);
    public sealed record PluginList(IReadOnlyList<LoadedPlugin> Loaded, IReadOnlyList<FailedPlugin> Failed);

    public static IEndpointRouteBuilder MapPluginsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/plugins").RequireRateLimiting(ApiRateLimits.ClientPolicy)
            .MapGet("", (PluginCatalog catalog) => Results.Ok(List(catalog.Snapshot)))
            .RequireAuthorization(ApiScopes.Read)
            .Produces<PluginList>()
            .WithSummary("Loaded plugins with their tools, and plugins that failed to load");
        return endpoints;
    }

    public static PluginList List(ToolSnapshot snapshot) => new(
        snapshot.Loaded.Select(p => new LoadedPlugin(p.Name, p.Origin, p.Version, p.Tools.Select(t => new ToolView(t.Name, t.Description)).ToList())).ToList(),
        snapshot.FailedPlugins.Select(p => new FailedPlugin(p.Name, p.Origin, p.Error!)).ToList());
}
