using Moltworker.Abstractions;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Discord.Commands;

/// <summary>
/// Builds the slash commands: the built-ins <c>/ask</c>, <c>/reset</c> and <c>/status</c>, the kernel built-ins of
/// <see cref="TextBuiltIns"/> (one optional text option, read like the rest of a Telegram command line), then every plugin tool
/// offered as a command (so <c>/briefing</c> exists when a tool offers it). Names that collide after
/// normalisation get a numeric suffix. Discord allows 100 chat commands; more are left out.
/// </summary>
public static class SlashCommandBuilder
{
    public const int MaxCommands = 100;

    /// <summary>Kernel built-ins offered on Discord with their arguments as one text option, and that option's hint.</summary>
    public static IReadOnlyDictionary<string, string> TextBuiltIns { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["schedule"] = "Empty: list. add \"0 8 * * 1-5\" /briefing · pause, resume or remove <id>",
        ["approvals"] = "reset: tools approved \"always in this chat\" ask again",
    };

    /// <summary>Kernel built-ins offered on Discord without options (they take no arguments).</summary>
    public static IReadOnlySet<string> PlainBuiltIns { get; } = new HashSet<string>(StringComparer.Ordinal) { "compact" };

    public static IReadOnlyList<SlashCommand> Build(IEnumerable<ChatCommand> catalog)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal) { "ask", "reset", "status" };
        var commands = new List<SlashCommand>
        {
            new("ask", "Ask the assistant (a turn with the agent and its tools)", SlashCommandKind.Ask,
                [new SlashOption("prompt", "prompt", DiscordOptionType.String, "What you want to ask", Required: true)]),
            new("reset", "Forget this conversation and start afresh", SlashCommandKind.Reset, []),
            new("status", "Show the assistant's status", SlashCommandKind.Status, []),
        };
        foreach (var command in catalog.Where(c => c.Tool is null && (TextBuiltIns.ContainsKey(c.Name) || PlainBuiltIns.Contains(c.Name)) && taken.Add(c.Name)))
        {
            commands.Add(new SlashCommand(command.Name, CommandText.Description(command.Description, $"Run {command.Name}"), SlashCommandKind.BuiltIn,
                TextBuiltIns.TryGetValue(command.Name, out var hint)
                    ? [new SlashOption("arguments", "arguments", DiscordOptionType.String, hint, Required: false)]
                    : []));
        }
        foreach (var command in catalog)
        {
            if (command.Tool is not { } tool) continue;
            if (commands.Count >= MaxCommands) break;
            var name = CommandText.Unique(CommandText.NormalizeName(command.Name), taken);
            var hasSuggestions = ToolMetadata.Of(tool).Suggestions is not null;
            commands.Add(new SlashCommand(
                name,
                CommandText.Description(command.Description is { Length: > 0 } d ? d : tool.Description, $"Run {command.Name}"),
                SlashCommandKind.Tool,
                SchemaOptionReader.Read(tool.JsonSchema, hasSuggestions))
            {
                Target = command.Name,
                Tool = tool,
            });
        }
        return commands;
    }
}
