using System.Xml;
using System.Xml.Linq;

namespace Moltworker.Plugins.BuiltIn.News;

/// <summary>Reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds; DTDs are refused (no entity expansion).</summary>
internal static class FeedParser
{
    public static (string? Title, IReadOnlyList<Headline> Items) Parse(string xml, int count)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 10_000_000 };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var root = XDocument.Load(reader).Root ?? throw new XmlException("empty document");
        if (root.Name.LocalName == "feed")
        {
            var entries = root.Elements().Where(e => e.Name.LocalName == "entry").Take(count)
                .Select(e => new Headline(Text(e, "title"), AtomLink(e), Text(e, "updated") is { Length: > 0 } u ? u : null));
            return (Text(root, "title"), entries.ToList());
        }
        if (root.Name.LocalName is not ("rss" or "RDF")) throw new XmlException($"not a feed: <{root.Name.LocalName}>");
        var channel = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "channel");
        var items = root.Descendants().Where(e => e.Name.LocalName == "item").Take(count)
            .Select(e => new Headline(Text(e, "title"), Text(e, "link") is { Length: > 0 } l ? l : null, Text(e, "pubDate") is { Length: > 0 } d ? d : null));
        return (channel is null ? null : Text(channel, "title"), items.ToList());
    }

    private static string Text(XElement parent, string name) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim() ?? "";

    private static string? AtomLink(XElement entry)
    {
        var links = entry.Elements().Where(e => e.Name.LocalName == "link").ToList();
        var link = links.FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate") ?? links.FirstOrDefault();
        return (string?)link?.Attribute("href");
    }
}
