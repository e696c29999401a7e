namespace Moltworker.Knowledge.Search;

/// <summary>How a source is shown: a path relative to the working folder when it lies under it, else as stored.</summary>
public static class SourceDisplay
{
    public static string Short(string source)
    {
        if (source.Contains("://", StringComparison.Ordinal)) return source;
        var current = Environment.CurrentDirectory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return source.StartsWith(current, StringComparison.Ordinal) ? source[current.Length..] : source;
    }
}
