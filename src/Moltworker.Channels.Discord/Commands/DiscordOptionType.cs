namespace Moltworker.Channels.Discord.Commands;

/// <summary>Discord application command option types that Moltworker generates.</summary>
public enum DiscordOptionType
{
    String = 3,
    Integer = 4,
    Boolean = 5,
    Number = 10,
}
