using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;
using Moltworker.Docs.Tests.Links;
using Moltworker.Host.Cli;

namespace Moltworker.Docs.Tests;

/// <summary>The CLI's help is the short reference: every verb and option it offers is in the docs, and every docs page
/// it points to exists.</summary>
public sealed partial class CliHelpTests
{
    private static readonly RootCommand Root = MoltworkerCli.Build([], []);

    [Fact]
    public void The_verb_list_names_every_verb_class_once_in_name_order()
    {
        var classes = typeof(MoltworkerCli).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliVerb).IsAssignableFrom(t)).Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(classes, MoltworkerCli.Verbs.Select(v => v.GetType().Name));
        Assert.Equal(Root.Subcommands.Select(c => c.Name).Order(StringComparer.Ordinal), Root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public void Every_verb_is_in_the_command_line_docs()
    {
        var operations = File.ReadAllText(RepositoryFiles.PathOf("docs/operations.md"));
        var missing = Commands(Root, "").Select(c => c.Path).Where(path => path.Length > 0 && !operations.Contains($"`{path}", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Verbs missing from docs/operations.md#the-command-line: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_option_is_documented()
    {
        var docs = string.Join("\n", DocsFiles.All().Select(f => File.ReadAllText(RepositoryFiles.PathOf(f))));
        var missing = Commands(Root, "")
            .SelectMany(c => c.Command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => $"{c.Path} {o.Name}"))
            .Where(x => !docs.Contains(x[(x.LastIndexOf(' ') + 1)..], StringComparison.Ordinal))
            .ToList();
        Assert.True(missing.Count == 0, "Options no docs page mentions: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_docs_page_the_help_names_exists()
    {
        var texts = Commands(Root, "").SelectMany(c => new[] { c.Command.Description }
            .Concat(c.Command.Options.Select(o => o.Description))
            .Concat(c.Command.Arguments.Select(a => a.Description)));
        var references = texts.SelectMany(t => DocsReference().Matches(t ?? "").Select(m => m.Value)).Distinct().ToList();
        Assert.Contains("docs/configuration.md", references);
        var readme = RepositoryFiles.PathOf("README.md");
        var broken = references.Where(r => LinkResolver.Check(readme, r, p => MarkdownDocument.Parse(File.ReadAllText(p))) is not null).ToList();
        Assert.True(broken.Count == 0, "The help points to missing pages or anchors: " + string.Join(", ", broken));
        foreach (var verb in Root.Subcommands)
            Assert.True(Commands(verb, verb.Name).Any(c => c.Command.Description?.Contains("docs/", StringComparison.Ordinal) == true), $"{verb.Name}'s help names no docs page");
    }

    private static IEnumerable<(string Path, Command Command)> Commands(Command command, string path)
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        foreach (var c in Commands(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
            yield return c;
    }

    [GeneratedRegex(@"docs/[A-Za-z0-9_./-]+\.md(#[a-z0-9_-]+)?")]
    private static partial Regex DocsReference();
}
