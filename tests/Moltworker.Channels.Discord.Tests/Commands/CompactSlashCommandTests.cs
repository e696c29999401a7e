using Moltworker.Channels.Discord.Commands;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Discord.Tests.Commands;

/// <summary>/compact on Discord: a slash command without options (run, like the other built-ins, by the kernel).</summary>
public sealed class CompactSlashCommandTests
{
    [Fact]
    public void The_compact_built_in_becomes_a_slash_command_without_options()
    {
        var commands = SlashCommandBuilder.Build([new ChatCommand("help", "Help"), new ChatCommand("compact", "Summarize the older messages of this conversation")]);

        var compact = Assert.Single(commands, c => c.Name == "compact");
        Assert.Equal(SlashCommandKind.BuiltIn, compact.Kind);
        Assert.Empty(compact.Options);
    }
}
