using System.Text.Json.Nodes;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Ids;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>The slash commands on offer now, rebuilt whenever the kernel's command catalog changes.</summary>
public sealed class DiscordCommandRegistry : IDisposable
{
    private readonly ICommandCatalog _catalog;
    private volatile IReadOnlyList<SlashCommand> _commands;

    public DiscordCommandRegistry(ICommandCatalog catalog)
    {
        _catalog = catalog;
        _commands = SlashCommandBuilder.Build(catalog.Commands);
        catalog.Changed += OnChanged;
    }

    /// <summary>Raised after the commands were rebuilt.</summary>
    public event Action? Changed;

    public IReadOnlyList<SlashCommand> Commands => _commands;

    public SlashCommand? Find(string name) => _commands.FirstOrDefault(c => c.Name == name);

    /// <summary>The JSON array sent to Discord's bulk overwrite.</summary>
    public static JsonArray ToJson(IReadOnlyList<SlashCommand> commands) =>
        new(commands.Select(c => (JsonNode)c.ToJson()).ToArray());

    /// <summary>The <see cref="ContentHash"/> of the JSON sent; unchanged sets are not registered again.</summary>
    public static string Hash(JsonArray json) => ContentHash.Hex(json.ToJsonString());

    private void OnChanged()
    {
        _commands = SlashCommandBuilder.Build(_catalog.Commands);
        Changed?.Invoke();
    }

    public void Dispose() => _catalog.Changed -= OnChanged;
}
