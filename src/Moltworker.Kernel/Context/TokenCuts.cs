namespace Moltworker.Kernel.Context;

/// <summary>
/// Where a text may be cut so that the token counts of the pieces add up to the count of the whole: places no
/// pre-token of the tiktoken encodings (o200k_base, cl100k_base) can cross, so that counting each piece on its own
/// splits it into the same pre-tokens. Two kinds, both between a token that has ended and one that starts afresh:
/// <list type="bullet">
/// <item>after a line break and before a letter (<c>"…\n|Word"</c>): a run of white space that ends in a line break is
/// one pre-token however the text goes on, and no pre-token holds a line break followed by a letter;</item>
/// <item>after a letter and before a space that a letter follows (<c>"word| next"</c>): a word ends at a space, and
/// the space starts the next word.</item>
/// </list>
/// Never inside a run of white space, digits, punctuation, emoji or other characters that are not letters (the
/// patterns' <c>\p{L}</c> is <see cref="char.IsLetter(char)"/>; a character outside the BMP is never one).
/// </summary>
internal static class TokenCuts
{
    /// <summary>True when <paramref name="text"/> may be cut before index <paramref name="at"/>.</summary>
    public static bool IsSafe(ReadOnlySpan<char> text, int at)
    {
        if (at <= 0 || at >= text.Length) return false;
        var before = text[at - 1];
        var after = text[at];
        return (before == '\n' && char.IsLetter(after))
               || (after == ' ' && char.IsLetter(before) && at + 1 < text.Length && char.IsLetter(text[at + 1]));
    }

    /// <summary>The first safe cut at or after <paramref name="from"/>, or -1 when there is none before the end.</summary>
    public static int Next(ReadOnlySpan<char> text, int from)
    {
        for (var at = Math.Max(1, from); at < text.Length; at++)
            if (IsSafe(text, at)) return at;
        return -1;
    }

    /// <summary>Where to cut <paramref name="text"/> into at most <paramref name="pieces"/> pieces of about equal length:
    /// the start of each piece, then the text's length. Fewer pieces when the text has too few safe cuts.</summary>
    public static List<int> Split(ReadOnlySpan<char> text, int pieces)
    {
        var starts = new List<int>(pieces + 1) { 0 };
        for (var k = 1; k < pieces; k++)
        {
            var cut = Next(text, Math.Max(starts[^1] + 1, (int)((long)text.Length * k / pieces)));
            if (cut < 0) break;
            starts.Add(cut);
        }
        starts.Add(text.Length);
        return starts;
    }
}
