using Moltworker.Kernel.Commands;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary><c>/nocache</c> at the start of a message (also <c>/nocache@bot</c>): the rest of the message is asked
/// with the tool-result cache skipped for that turn. The directive never reaches the model.</summary>
public static class NoCacheDirective
{
    public const string Name = "nocache";

    /// <summary>The text after the directive (trimmed; empty when nothing follows), or null when
    /// <paramref name="text"/> does not start with it.</summary>
    public static string? Strip(string text) =>
        CommandLine.Parse(text) is { Name: Name } command ? command.Rest : null;
}
