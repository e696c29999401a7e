using System.Text;
using CsCheck;

namespace Moltworker.Fuzz.Tests.Support;

/// <summary>
/// Mutated JSON: a valid document with a few edits at random places (a character replaced, inserted or removed, a span
/// repeated or cut, a value swapped for another JSON type). Most mutants are still JSON, so they reach past the
/// tokenizer into the parser's own checks.
/// </summary>
public static class JsonMutator
{
    private static readonly string[] Values =
        ["null", "true", "false", "0", "-1", "2147483648", "-9223372036854775809", "1e400", "1.5", "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"a\":1}", "\"\\ud800\""];

    private static readonly Gen<char> Chars = Gen.OneOf<char>(Gen.Char["{}[]\":,\\ 0-9aeflnrstu"], Gen.Char, Gen.OneOf<char>('\uD83D', '\uDE00', '\u0000'));

    public static Gen<string> Mutants(params string[] seeds) =>
        from seed in Gen.OneOf<string>(seeds)
        from edits in Edit.Array[1, 4]
        select OverTheWire(edits.Aggregate(seed, (text, edit) => edit(text)));

    /// <summary>Bodies arrive as UTF-8 bytes: a lone surrogate a mutation made cannot travel and arrives as U+FFFD
    /// (escaped surrogates in the JSON text do travel, and stay).</summary>
    public static string OverTheWire(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static Gen<Func<string, string>> Edit => Gen.OneOf<Func<string, string>>(
        from at in Gen.Double.Unit
        from c in Chars
        select (Func<string, string>)(t => t.Length == 0 ? c.ToString() : t.Remove(Index(at, t.Length), 1).Insert(Index(at, t.Length), c.ToString())),
        from at in Gen.Double.Unit
        from c in Chars
        select (Func<string, string>)(t => t.Insert(Index(at, t.Length + 1), c.ToString())),
        from at in Gen.Double.Unit
        from n in Gen.Int[1, 8]
        select (Func<string, string>)(t => t.Length == 0 ? t : t.Remove(Index(at, t.Length), Math.Min(n, t.Length - Index(at, t.Length)))),
        from at in Gen.Double.Unit
        from n in Gen.Int[1, 16]
        select (Func<string, string>)(t => { var i = Index(at, t.Length + 1); var s = t[i..Math.Min(t.Length, i + n)]; return t.Insert(i, s); }),
        from at in Gen.Double.Unit
        from value in Gen.OneOf<string>(Values)
        select (Func<string, string>)(t => SwapValue(t, Index(at, t.Length + 1), value)));

    private static int Index(double at, int length) => Math.Max(0, Math.Min(length - 1, (int)(at * length)));

    /// <summary>Replaces the value after the first ':' at or after <paramref name="from"/> (up to the next , or }).</summary>
    private static string SwapValue(string text, int from, string value)
    {
        var colon = text.IndexOf(':', Math.Min(from, text.Length));
        if (colon < 0) return text;
        var end = text.IndexOfAny([',', '}'], colon + 1);
        return end < 0 ? text : text[..(colon + 1)] + value + text[end..];
    }
}
