namespace Moltworker.Kernel.Commands;

/// <summary>Splits "/name@bot rest" into the command name (lower case, no bot suffix) and the rest.</summary>
public static class CommandLine
{
    public static bool TryParse(string text, out string name, out string rest)
    {
        name = rest = "";
        if (text.Length < 2 || text[0] != '/' || char.IsWhiteSpace(text[1])) return false;
        var space = text.IndexOfAny([' ', '\n', '\t']);
        var head = space < 0 ? text[1..] : text[1..space];
        rest = space < 0 ? "" : text[(space + 1)..].Trim();
        var at = head.IndexOf('@');
        name = (at < 0 ? head : head[..at]).ToLowerInvariant();
        return name.Length > 0;
    }
}
