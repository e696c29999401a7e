using System.Globalization;
using System.Text;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Memory;

namespace Moltworker.Kernel.Commands.BuiltIn;

/// <summary>
/// <c>/memory</c>: with no argument (or <c>list</c>) what is remembered about the user speaking, with ids and dates;
/// <c>forget &lt;id&gt;</c> deletes one; <c>clear</c> deletes them all. Only ever the speaking user's memories, in any
/// chat of the channel.
/// </summary>
public sealed class MemoryCommand(MemoryService memories) : IBuiltInCommand
{
    public const string Usage = "Usage: /memory · /memory forget <id> · /memory clear";

    public string Name => "memory";
    public string Description => "List what I remember about you, forget one memory or clear them all";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        rest = rest.Trim();
        var space = rest.IndexOf(' ');
        var verb = (space < 0 ? rest : rest[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : rest[(space + 1)..].Trim();
        var user = MemoryUser.Of(address);
        try
        {
            return verb switch
            {
                "" or "list" => List(await memories.ListAsync(user, cancellationToken)),
                "forget" or "remove" or "delete" when argument.Length > 0 => await memories.ForgetAsync(user, argument, cancellationToken)
                    ? new ChatReply($"Forgot memory {argument}.")
                    : new ChatReply($"You have no memory {argument}; /memory lists them.", IsError: true),
                "clear" when argument.Length == 0 => Cleared(await memories.ClearAsync(user, cancellationToken)),
                _ => new ChatReply(Usage, IsError: true),
            };
        }
        catch (MemoryRefusedException ex) { return new ChatReply(ex.Message, IsError: true); }
    }

    private static ChatReply List(IReadOnlyList<UserMemory> list)
    {
        if (list.Count == 0) return new ChatReply("I remember nothing about you yet.");
        var text = new StringBuilder($"What I remember about you ({list.Count}):\n");
        foreach (var m in list)
            text.Append(CultureInfo.InvariantCulture, $"• {m.Id} ({m.CreatedAt:yyyy-MM-dd}): {m.Text}\n");
        return new ChatReply(text.Append("Forget one with /memory forget <id>, all with /memory clear.").ToString());
    }

    private static ChatReply Cleared(int count) =>
        new(count == 0 ? "There was nothing to forget." : $"Forgot all {count} memories.");
}
