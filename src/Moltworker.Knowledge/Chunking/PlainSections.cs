namespace Moltworker.Knowledge.Chunking;

/// <summary>Plain text and source code: one section without headings, blocks separated by blank lines.</summary>
internal static class PlainSections
{
    public static List<TextSection> Split(string text)
    {
        var blocks = new List<(int, int)>();
        var start = -1;
        var lastContent = -1;
        var lineStart = 0;
        while (lineStart <= text.Length)
        {
            var newline = text.IndexOf('\n', lineStart);
            var lineEnd = newline < 0 ? text.Length : newline;
            var blank = text.AsSpan(lineStart, lineEnd - lineStart).IsWhiteSpace();
            if (blank)
            {
                if (start >= 0) blocks.Add((start, lastContent));
                start = -1;
            }
            else
            {
                if (start < 0) start = lineStart + Leading(text, lineStart, lineEnd);
                lastContent = lineEnd;
                while (lastContent > lineStart && char.IsWhiteSpace(text[lastContent - 1])) lastContent--;
            }
            if (newline < 0) break;
            lineStart = newline + 1;
        }
        if (start >= 0) blocks.Add((start, lastContent));
        return blocks.Count == 0 ? [] : [new TextSection([], blocks)];
    }

    private static int Leading(string text, int from, int to)
    {
        var i = from;
        while (i < to && char.IsWhiteSpace(text[i])) i++;
        return i - from;
    }
}
