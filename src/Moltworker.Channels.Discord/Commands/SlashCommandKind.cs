namespace Moltworker.Channels.Discord.Commands;

public enum SlashCommandKind
{
    /// <summary>/ask prompt:&lt;text&gt;: a turn with the agent.</summary>
    Ask,
    /// <summary>/reset: forget the conversation.</summary>
    Reset,
    /// <summary>/status: the kernel's status command.</summary>
    Status,
    /// <summary>A plugin tool offered as a command.</summary>
    Tool,
    /// <summary>A kernel built-in that reads its arguments as one line of text (/schedule).</summary>
    BuiltIn,
}
