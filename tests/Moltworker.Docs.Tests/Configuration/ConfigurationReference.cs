using System.Text;
using Microsoft.Extensions.Configuration;

namespace Moltworker.Docs.Tests.Configuration;

/// <summary>Builds <c>docs/configuration.md</c>: one section per bound options class, one row per setting.</summary>
public static class ConfigurationReference
{
    public const string File = "docs/configuration.md";

    public sealed record Result(string Markdown, IReadOnlyList<Setting> Settings, IReadOnlyList<BoundOptions> Bound, IReadOnlySet<Type> Reached);

    public static Result Generate()
    {
        var docs = new XmlDocumentation();
        var walker = new SettingsWalker(docs);
        var shipped = new ConfigurationBuilder().AddJsonFile(RepositoryFiles.PathOf("src/Moltworker.Host/appsettings.json"), optional: true).Build();
        var bound = OptionsDiscovery.Find();
        var settings = new List<Setting>();
        var md = new StringBuilder();
        md.Append("""
            # Configuration reference

            <!-- Generated from the options classes by tests/Moltworker.Docs.Tests; do not edit by hand.
                 Regenerate: MOLTWORKER_UPDATE_DOCS=1 dotnet test tests/Moltworker.Docs.Tests -->

            Every setting lives under the section `Moltworker` and can be given in three ways, later ones winning:
            `appsettings.json` (the one shipped beside the binary, then the one in the content root), environment
            variables with `__` between the parts (`Moltworker__Llm__Model=gpt-4o-mini`), and the command line after any
            verb (`--Moltworker:Llm:Model=gpt-4o-mini` or `--Moltworker:Llm:Model gpt-4o-mini`; see
            [the command line](operations.md#the-command-line)). A list is given by index (`…__AllowedUserIds__0=42`);
            `<name>` stands for a key you choose (a server's name, a phase). Time spans are written `hh:mm:ss` (or
            `d.hh:mm:ss`). The default is what the code uses when nothing is set; where the shipped `appsettings.json`
            sets another value, it is named too.

            This page is generated from the options classes and their XML comments, so it lists each setting once and
            nothing the code does not read. How the settings work together is explained on each area's page.


            """.Replace("\r\n", "\n"));
        foreach (var group in bound.GroupBy(b => b.Section, StringComparer.OrdinalIgnoreCase))
        {
            md.Append("## ").Append(group.Key).Append("\n\n");
            foreach (var b in group)
            {
                if (docs.SummaryOf(b.Type) is { } summary) md.Append(summary).Append(' ');
                md.Append("(`").Append(b.Type.FullName).Append("`)\n\n");
            }
            md.Append("| setting | type | default | meaning |\n| --- | --- | --- | --- |\n");
            foreach (var s in group.SelectMany(walker.Walk))
            {
                settings.Add(s);
                var value = s.Key.Contains('<') ? null : shipped[s.Key];
                var dflt = string.IsNullOrEmpty(value) || SettingsWalker.Format(value) == s.Default
                    ? s.Default : $"{s.Default} (shipped: `{value}`)";
                md.Append("| `").Append(s.Key).Append("` | ").Append(s.Type).Append(" | ").Append(dflt).Append(" | ")
                  .Append(s.Summary ?? "**(no summary)**").Append(" |\n");
            }
            md.Append('\n');
        }
        return new Result(md.ToString().TrimEnd('\n') + "\n", settings, bound, walker.Reached);
    }
}
