using Moltworker.Kernel.Commands;
using Telegram.Bot.Types;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>
/// The commands as Telegram shows them (normalised, unique, at most 100, built-ins first) and the way back
/// from a Telegram name to the kernel's command name.
/// </summary>
public sealed class CommandMap
{
    private readonly Dictionary<string, string> _toKernel = new(StringComparer.Ordinal);

    public IReadOnlyList<BotCommand> Commands { get; }

    public CommandMap(IEnumerable<ChatCommand> commands)
    {
        var list = new List<BotCommand>();
        foreach (var command in commands)
        {
            if (list.Count >= CommandNames.MaxCommands) break;
            var name = CommandNames.Normalize(command.Name);
            if (name is null) continue;
            if (_toKernel.ContainsKey(name))
            {
                var n = 2;
                string candidate;
                do
                {
                    var suffix = "_" + n++;
                    candidate = (name.Length + suffix.Length > CommandNames.MaxNameLength ? name[..(CommandNames.MaxNameLength - suffix.Length)] : name) + suffix;
                } while (_toKernel.ContainsKey(candidate));
                name = candidate;
            }
            _toKernel[name] = command.Name;
            list.Add(new BotCommand(name, CommandNames.Describe(command.Description, name)));
        }
        Commands = list;
    }

    /// <summary>The kernel's name for a Telegram command name (unchanged when unknown).</summary>
    public string ToKernelName(string telegramName) =>
        _toKernel.TryGetValue(telegramName.ToLowerInvariant(), out var kernel) ? kernel : telegramName;

    public bool IsKnown(string telegramName) => _toKernel.ContainsKey(telegramName.ToLowerInvariant());
}
