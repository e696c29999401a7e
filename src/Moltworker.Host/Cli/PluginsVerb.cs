using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Commands.BuiltIn;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker plugins list</c>: loaded plugins with their tools, and failed ones with the reason.</summary>
public sealed class PluginsVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var list = new Command("list", "List plugins, their tools, and plugins that failed to load (exit code 2 when any failed)");
        list.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var snapshot = app.Services.GetRequiredService<PluginCatalog>().Snapshot;
            Console.WriteLine(PluginsCommand.Describe(snapshot).Replace("**", ""));
            return snapshot.FailedPlugins.Count == 0 ? 0 : 2;
        });
        return new Command("plugins", "Plugins: built-in, dropped into Moltworker:Plugins:Directory, and MCP servers. Docs: docs/plugins.md") { list };
    }
}
