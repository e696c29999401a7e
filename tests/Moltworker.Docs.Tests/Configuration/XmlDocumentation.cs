using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Moltworker.Docs.Tests.Configuration;

/// <summary>The <c>&lt;summary&gt;</c> comments of the product's assemblies, read from the XML documentation files
/// the build writes beside them (<c>GenerateDocumentationFile</c>), as Markdown on one line.</summary>
public sealed partial class XmlDocumentation
{
    private readonly Dictionary<string, string> _summaries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loaded = new(StringComparer.Ordinal);

    public string? SummaryOf(PropertyInfo property) => Summary(property.DeclaringType!, $"P:{NameOf(property.DeclaringType!)}.{property.Name}");

    public string? SummaryOf(Type type) => Summary(type, $"T:{NameOf(type)}");

    private string? Summary(Type type, string member)
    {
        Load(type.Assembly);
        return _summaries.TryGetValue(member, out var s) && s.Length > 0 ? s : null;
    }

    private static string NameOf(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private void Load(Assembly assembly)
    {
        if (!_loaded.Add(assembly.FullName!)) return;
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (!File.Exists(path)) return;
        foreach (var member in XDocument.Load(path).Descendants("member"))
            if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                _summaries[name] = ToMarkdown(summary);
    }

    private static string ToMarkdown(XElement summary)
    {
        var text = new StringBuilder();
        foreach (var node in summary.Nodes()) Append(text, node);
        return Whitespace().Replace(text.ToString(), " ").Trim().Replace("|", "\\|");
    }

    private static void Append(StringBuilder text, XNode node)
    {
        switch (node)
        {
            case XText t:
                text.Append(t.Value.Replace("<", "&lt;", StringComparison.Ordinal));
                break;
            case XElement { Name.LocalName: "c" } c:
                text.Append('`').Append(c.Value).Append('`');
                break;
            case XElement { Name.LocalName: "see" or "seealso" } see:
                var shown = see.Value.Length > 0 ? see.Value
                    : see.Attribute("langword")?.Value ?? LastPart(see.Attribute("cref")?.Value ?? see.Attribute("href")?.Value ?? "");
                text.Append('`').Append(shown).Append('`');
                break;
            case XElement { Name.LocalName: "paramref" or "typeparamref" } p:
                text.Append('`').Append(p.Attribute("name")?.Value).Append('`');
                break;
            case XElement e:
                text.Append(' ');
                foreach (var child in e.Nodes()) Append(text, child);
                text.Append(' ');
                break;
        }
    }

    private static string LastPart(string cref)
    {
        var name = cref.Contains(':') ? cref[(cref.IndexOf(':') + 1)..] : cref;
        var paren = name.IndexOf('(');
        if (paren >= 0) name = name[..paren];
        name = name.Split('`')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
