using System.Text;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Plugins;

namespace Moltworker.Kernel.Commands.BuiltIn;

public sealed class PluginsCommand(PluginCatalog catalog) : IBuiltInCommand
{
    public string Name => "plugins";
    public string Description => "List loaded plugins and their tools";

    public Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken) =>
        Task.FromResult(new ChatReply(Describe(catalog.Snapshot)));

    public static string Describe(ToolSnapshot snapshot)
    {
        var text = new StringBuilder();
        foreach (var p in snapshot.Loaded)
            text.Append($"**{p.Name}** ({p.Origin}): {string.Join(", ", p.Tools.Select(t => t.Name))}\n");
        foreach (var p in snapshot.FailedPlugins)
            text.Append($"**{p.Name}** ({p.Origin}) FAILED: {p.Error}\n");
        return text.Length == 0 ? "No plugins are loaded." : text.ToString().TrimEnd();
    }
}
