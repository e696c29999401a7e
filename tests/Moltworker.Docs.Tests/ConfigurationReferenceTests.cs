using System.Reflection;
using Moltworker.Abstractions;
using Moltworker.Docs.Tests.Configuration;

namespace Moltworker.Docs.Tests;

/// <summary>docs/configuration.md is generated from the options classes: it must match them, list every setting once,
/// and give each a summary.</summary>
public sealed class ConfigurationReferenceTests
{
    private static readonly Lazy<ConfigurationReference.Result> Reference = new(ConfigurationReference.Generate);

    [Fact]
    public void The_reference_matches_the_code()
    {
        var difference = RepositoryFiles.CompareOrUpdate(ConfigurationReference.File, Reference.Value.Markdown);
        Assert.True(difference is null, difference);
    }

    [Fact]
    public void The_core_areas_are_found_where_they_are_bound()
    {
        var sections = Reference.Value.Bound.Select(b => b.Section).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var expected in new[] { "Moltworker", "Moltworker:Llm", "Moltworker:Agent", "Moltworker:Tools", "Moltworker:Tools:Retry",
                     "Moltworker:Tasks", "Moltworker:Telegram", "Moltworker:Discord", "Moltworker:Mcp", "Moltworker:Knowledge",
                     "Moltworker:Embeddings", "Moltworker:Plugins", "Moltworker:Plugins:Web", "Moltworker:Plugins:Sample" })
            Assert.Contains(expected, sections);
    }

    [Fact]
    public void Every_setting_is_listed_once()
    {
        var duplicates = Reference.Value.Settings.GroupBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => $"{g.Key} ({string.Join(", ", g.Select(s => s.Declaring.Name))})").ToList();
        Assert.True(duplicates.Count == 0, "Listed more than once: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void Every_setting_has_a_summary()
    {
        var missing = Reference.Value.Settings.Where(s => s.Summary is null)
            .Select(s => $"{s.Key} ({s.Declaring.FullName})").ToList();
        Assert.True(missing.Count == 0, "Add a /// <summary> to: " + string.Join("; ", missing));
    }

    /// <summary>An options class nobody binds where the discovery looks would be missing from the reference.</summary>
    [Fact]
    public void Every_options_class_of_the_product_is_reached()
    {
        var reached = Reference.Value.Reached;
        var unreached = OptionsDiscovery.ProductAssemblies()
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } &&
                        (t.GetCustomAttribute<PluginOptionsAttribute>() is not null ||
                         (t.Namespace?.EndsWith(".Options", StringComparison.Ordinal) == true && (t.Name.EndsWith("Options", StringComparison.Ordinal) || t.Name.EndsWith("Settings", StringComparison.Ordinal)))))
            .Where(t => !reached.Contains(t))
            .Select(t => t.FullName).ToList();
        Assert.True(unreached.Count == 0, "Options classes not bound under Moltworker (or not found): " + string.Join("; ", unreached));
    }

    [Fact]
    public void Other_pages_link_to_the_reference_instead_of_repeating_settings()
    {
        var repeated = new List<string>();
        foreach (var file in DocsFiles.All().Where(f => f != ConfigurationReference.File))
        foreach (var line in File.ReadLines(RepositoryFiles.PathOf(file)))
            if (line.StartsWith("| `Moltworker:", StringComparison.Ordinal) || line.StartsWith("| `Moltworker__", StringComparison.Ordinal))
                repeated.Add($"{file}: {line[..Math.Min(line.Length, 80)]}");
        Assert.True(repeated.Count == 0, "Settings tables belong in docs/configuration.md only: " + string.Join("\n", repeated));
    }
}
