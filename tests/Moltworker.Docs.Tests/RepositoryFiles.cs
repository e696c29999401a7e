namespace Moltworker.Docs.Tests;

/// <summary>Finds the repository (the folder holding Moltworker.sln) from the test's output folder, and writes or
/// compares generated documents.</summary>
public static class RepositoryFiles
{
    /// <summary>The environment variable that makes the generated documents rewrite themselves instead of failing.</summary>
    public const string UpdateVariable = "MOLTWORKER_UPDATE_DOCS";

    public static string Root { get; } = FindRoot();

    public static bool Updating => Environment.GetEnvironmentVariable(UpdateVariable) is "1" or "true";

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Rewrites the file when <see cref="UpdateVariable"/> is set; otherwise returns a message naming the first
    /// line that differs, or null when the file holds exactly <paramref name="expected"/>.</summary>
    public static string? CompareOrUpdate(string relative, string expected)
    {
        var path = PathOf(relative);
        if (Updating)
        {
            File.WriteAllText(path, expected);
            return null;
        }
        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "";
        if (actual == expected) return null;
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        var line = 0;
        while (line < a.Length && line < e.Length && a[line] == e[line]) line++;
        return $"{relative} differs from the code at line {line + 1}.\n  file:      {(line < a.Length ? a[line] : "(end of file)")}\n" +
               $"  generated: {(line < e.Length ? e[line] : "(end of file)")}\n" +
               $"Regenerate it: {UpdateVariable}=1 dotnet test tests/Moltworker.Docs.Tests";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moltworker.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No Moltworker.sln above {AppContext.BaseDirectory}.");
    }
}
