using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace Moltworker.Kernel.Context;

/// <summary>How text becomes tokens for one model: a real tiktoken encoding, or the estimate for models whose
/// tokenizer the catalog does not name.</summary>
public abstract class TokenEncoding
{
    /// <summary>The encoding's name as the catalog writes it (<c>o200k_base</c>, <c>cl100k_base</c>), or <c>estimate</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when <see cref="Count(ReadOnlySpan{char})"/> is the character estimate, not a tokenizer's count.</summary>
    public virtual bool IsEstimate => false;

    /// <summary>The tokens of <paramref name="text"/> (0 for empty text).</summary>
    public abstract int Count(ReadOnlySpan<char> text);

    /// <summary>The tokens of <paramref name="text"/> (0 for null or empty text).</summary>
    public virtual int Count(string? text) => Count(text.AsSpan());
}

/// <summary>
/// A tiktoken encoding from Microsoft.ML.Tokenizers. The tokenizer is created once per encoding and shared: it holds
/// the vocabulary (tens of MB) and the library's tokenizers may be used from several threads at once.
/// <para>Counts are the library's own, made faster in two ways that keep them exact (measured with the <c>context</c>
/// benchmark, docs/context.md). The text is split into pre-tokens with the tokenizer's own pre-tokenizer, and each
/// pre-token's count is the library's count of that pre-token alone (<c>CountTokens</c> without pre-tokenization, which
/// is how the library counts each pre-token of a whole text), remembered for short pre-tokens in a lock-free table: the
/// library's own word cache takes a lock and reorders a list on every lookup, and holds 8,192 words, fewer than the
/// distinct words of a few hundred KB of prose. And a text over <see cref="ParallelFrom"/> characters is cut where no
/// pre-token can cross (<see cref="TokenCuts"/>) into one piece per processor, counted at the same time.</para>
/// </summary>
public sealed class TiktokenEncoding : TokenEncoding
{
    /// <summary>Texts longer than this (in characters) are counted in pieces on several threads.</summary>
    public const int ParallelFrom = 64 * 1024;

    /// <summary>Pre-tokens up to this length are remembered (longer ones rarely repeat).</summary>
    private const int MaxRememberedLength = 32;

    /// <summary>The table of remembered counts starts afresh when it holds this many (a few MB at most).</summary>
    private const int MaxRemembered = 32 * 1024;

    private readonly Tokenizer _tokenizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _remembered;

    internal TiktokenEncoding(string name, Tokenizer tokenizer)
    {
        Name = name;
        _tokenizer = tokenizer;
        // Counting pre-token by pre-token is the library's own count only without a normalizer (tiktoken has none).
        _preTokenizer = tokenizer.Normalizer is null ? tokenizer.PreTokenizer : null;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public override string Name { get; }

    public override int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : CountPreTokens(text);

    /// <summary>As <see cref="Count(ReadOnlySpan{char})"/>; a text over <see cref="ParallelFrom"/> characters is counted
    /// in pieces on several threads.</summary>
    public override int Count(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var pieces = Math.Min(Environment.ProcessorCount, text.Length / (ParallelFrom / 2));
        if (text.Length <= ParallelFrom || pieces < 2) return CountPreTokens(text);
        var starts = TokenCuts.Split(text, pieces);
        if (starts.Count < 3) return CountPreTokens(text);
        var counts = new int[starts.Count - 1];
        Parallel.For(0, counts.Length, i => counts[i] = CountPreTokens(text.AsSpan(starts[i], starts[i + 1] - starts[i])));
        return counts.Sum();
    }

    /// <summary>The library's count of <paramref name="text"/>, without any of the above (for tests and the benchmark).</summary>
    internal int CountWithLibrary(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    private int CountPreTokens(ReadOnlySpan<char> text)
    {
        if (_preTokenizer is null) return _tokenizer.CountTokens(text);
        var total = 0;
        foreach (var (offset, length) in _preTokenizer.PreTokenize(text))
        {
            var piece = text.Slice(offset, length);
            if (!_lookup.TryGetValue(piece, out var count))
            {
                count = _tokenizer.CountTokens(piece, considerPreTokenization: false, considerNormalization: false);
                if (length <= MaxRememberedLength) Remember(piece, count);
            }
            total += count;
        }
        return total;
    }

    private void Remember(ReadOnlySpan<char> piece, int count)
    {
        if (!_lookup.TryAdd(piece, count)) return;
        if (Interlocked.Increment(ref _remembered) <= MaxRemembered) return;
        // Bounded memory: start afresh (a race here only clears twice; counts stay exact either way).
        _counts.Clear();
        Interlocked.Exchange(ref _remembered, 0);
    }
}

/// <summary>The stated estimate for a model without a known tokenizer: one token per started four characters
/// (characters / 4, rounded up). English prose with BPE tokenizers runs near 4 to 4.5 characters a token, so the estimate
/// errs slightly high; code, other scripts and emoji can take more tokens than it says.</summary>
public sealed class CharacterEstimate : TokenEncoding
{
    public const int CharactersPerToken = 4;

    public static CharacterEstimate Instance { get; } = new();

    private CharacterEstimate() { }

    public override string Name => TokenEncodings.Estimate;

    public override bool IsEstimate => true;

    public override int Count(ReadOnlySpan<char> text) => (text.Length + CharactersPerToken - 1) / CharactersPerToken;
}
