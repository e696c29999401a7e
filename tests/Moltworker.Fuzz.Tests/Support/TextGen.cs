using CsCheck;

namespace Moltworker.Fuzz.Tests.Support;

/// <summary>Text that finds edge cases: ASCII, Markdown and HTML syntax, surrogate pairs (and lone halves), whitespace.</summary>
public static class TextGen
{
    public static readonly Gen<char> Interesting = Gen.OneOf<char>(
        Gen.Char[' ', '~'],
        Gen.Char["*_`[]()<>&#@/\\\n\t |-~!"],
        Gen.OneOf<char>('\uD83D', '\uDE00', '\u00E9', '\u200B', '\u0000', '\r'));

    /// <summary>Strings of <see cref="Interesting"/> characters, with whole emoji (surrogate pairs) mixed in.</summary>
    public static Gen<string> Text(int max) =>
        Gen.OneOf<string>(Interesting.Select(c => c.ToString()), Gen.OneOf<string>("😀", "👍🏽", "**", "```", "<b>", "&amp;", "@molt_bot", "/help"))
            .Array[0, max].Select(parts => string.Concat(parts));
}
