using System.Text;

namespace Moltworker.Testing.Text;

/// <summary>Realistic text for token counting: the repository's docs/*.md (Markdown prose, tables and code), in name
/// order, repeated until there is enough.</summary>
public static class DocsText
{
    /// <summary>Exactly <paramref name="length"/> characters.</summary>
    public static string Of(int length)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moltworker.sln"))) dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException($"Moltworker.sln not found above {AppContext.BaseDirectory}");
        var docs = Directory.GetFiles(Path.Combine(dir.FullName, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).ToList();
        var text = new StringBuilder(length + 100_000);
        while (text.Length < length)
            foreach (var doc in docs) text.Append(doc).Append('\n');
        return text.ToString(0, length);
    }
}
