namespace Moltworker.Kernel.Context;

/// <summary>Shortens text to a number of tokens, keeping its end (the newest part of a summary or transcript).</summary>
public static class TextCut
{
    /// <summary>The longest end of <paramref name="text"/> that takes at most <paramref name="maxTokens"/> tokens
    /// (found by halving: a few counts, not one per character).</summary>
    public static string KeepEnd(TokenEncoding encoding, string text, int maxTokens)
    {
        if (maxTokens <= 0) return "";
        if (encoding.Count(text) <= maxTokens) return text;
        int low = 0, high = text.Length; // the answer's start lies in (low, high]
        while (high - low > 1)
        {
            var middle = low + (high - low) / 2;
            if (encoding.Count(text.AsSpan(middle)) <= maxTokens) high = middle; else low = middle;
        }
        // Do not start inside a surrogate pair.
        if (high < text.Length && char.IsLowSurrogate(text[high])) high++;
        return text[high..];
    }
}
