using Microsoft.ML.Tokenizers;

namespace Moltworker.Kernel.Context;

/// <summary>How text becomes tokens for one model: a real tiktoken encoding, or the estimate for models whose
/// tokenizer the catalog does not name.</summary>
public abstract class TokenEncoding
{
    /// <summary>The encoding's name as the catalog writes it (<c>o200k_base</c>, <c>cl100k_base</c>), or <c>estimate</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when <see cref="Count"/> is the character estimate, not a tokenizer's count.</summary>
    public virtual bool IsEstimate => false;

    /// <summary>The tokens of <paramref name="text"/> (0 for empty text).</summary>
    public abstract int Count(ReadOnlySpan<char> text);
}

/// <summary>A tiktoken encoding from Microsoft.ML.Tokenizers. The tokenizer is created once per encoding and shared:
/// it holds the vocabulary (tens of MB) and the library's tokenizers may be used from several threads at once.</summary>
public sealed class TiktokenEncoding : TokenEncoding
{
    private readonly Tokenizer _tokenizer;

    internal TiktokenEncoding(string name, Tokenizer tokenizer)
    {
        Name = name;
        _tokenizer = tokenizer;
    }

    public override string Name { get; }

    public override int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);
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
