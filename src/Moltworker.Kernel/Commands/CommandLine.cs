namespace Moltworker.Kernel.Commands;

/// <summary>
/// The one place that decides whether text is a command: it starts with "/" followed by a name (not by white space).
/// "/name@bot rest" gives the name (lower case, without the bot suffix), the addressee ("bot", or null) and the rest.
/// Channels (Telegram's router) and <see cref="Chat.ChatService"/> both ask here; nothing else looks for a slash.
/// </summary>
public static class CommandLine
{
    /// <summary>The parts of a command line.</summary>
    public sealed record Parts(string Name, string? Addressee, string Rest);

    /// <summary>The command in <paramref name="text"/>, or null when it is not one.</summary>
    public static Parts? Parse(string text)
    {
        if (text.Length < 2 || text[0] != '/' || char.IsWhiteSpace(text[1])) return null;
        var space = text.IndexOfAny([' ', '\n', '\t']);
        var head = space < 0 ? text[1..] : text[1..space];
        var rest = space < 0 ? "" : text[(space + 1)..].Trim();
        var at = head.IndexOf('@');
        var name = (at < 0 ? head : head[..at]).ToLowerInvariant();
        return name.Length == 0 ? null : new Parts(name, at < 0 ? null : head[(at + 1)..], rest);
    }

    public static bool TryParse(string text, out string name, out string rest)
    {
        var parts = Parse(text);
        name = parts?.Name ?? "";
        rest = parts?.Rest ?? "";
        return parts is not null;
    }
}
