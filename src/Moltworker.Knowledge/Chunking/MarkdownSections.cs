using Markdig;
using Markdig.Syntax;

namespace Moltworker.Knowledge.Chunking;

/// <summary>Cuts Markdown into heading sections with Markdig (so a '#' inside a code block is not a heading).</summary>
internal static class MarkdownSections
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static List<TextSection> Split(string text)
    {
        var document = Markdown.Parse(text, Pipeline);
        var sections = new List<TextSection>();
        var path = new List<(int Level, string Title)>();
        var blocks = new List<(int, int)>();

        foreach (var block in document)
        {
            if (block is HeadingBlock heading)
            {
                Close();
                var title = HeadingTitle(text, heading);
                path.RemoveAll(p => p.Level >= heading.Level);
                path.Add((heading.Level, title));
                continue;
            }
            var start = block.Span.Start;
            var end = Math.Min(text.Length, block.Span.End + 1);
            while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
            if (end > start) blocks.Add((start, end));
        }
        Close();
        return sections;

        void Close()
        {
            if (blocks.Count > 0) sections.Add(new TextSection(path.Select(p => p.Title).ToList(), blocks.ToList()));
            blocks.Clear();
        }
    }

    private static string HeadingTitle(string text, HeadingBlock heading)
    {
        var raw = text.Substring(heading.Span.Start, Math.Min(text.Length, heading.Span.End + 1) - heading.Span.Start);
        var line = raw.Split('\n')[0].Trim();
        if (heading.IsSetext) return line;
        return line.TrimStart('#').TrimEnd('#').Trim();
    }
}
