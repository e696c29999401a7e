using Microsoft.ML.Tokenizers;

namespace Moltworker.Kernel.Context;

/// <summary>The encodings the model catalog may name. Each tiktoken vocabulary loads on first use, once for the process
/// (the data comes from the Microsoft.ML.Tokenizers.Data.O200kBase and .Cl100kBase packages).</summary>
public static class TokenEncodings
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";
    public const string Estimate = "estimate";

    /// <summary>The names a catalog entry's <c>tokenizer</c> may take.</summary>
    public static IReadOnlyList<string> Names { get; } = [O200kBase, Cl100kBase, Estimate];

    private static readonly Lazy<TokenEncoding> O200k = new(() => new TiktokenEncoding(O200kBase, TiktokenTokenizer.CreateForEncoding(O200kBase)));
    private static readonly Lazy<TokenEncoding> Cl100k = new(() => new TiktokenEncoding(Cl100kBase, TiktokenTokenizer.CreateForEncoding(Cl100kBase)));

    /// <summary>True for a name <see cref="For"/> accepts (case-insensitive); null or empty means "not named".</summary>
    public static bool IsKnown(string? name) =>
        string.IsNullOrWhiteSpace(name) || Names.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The encoding of a name; null, empty or <c>estimate</c> is the <see cref="CharacterEstimate"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static TokenEncoding For(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or Estimate => CharacterEstimate.Instance,
        O200kBase => O200k.Value,
        Cl100kBase => Cl100k.Value,
        _ => throw new ArgumentException($"Unknown tokenizer '{name}': use one of {string.Join(", ", Names)}.", nameof(name)),
    };
}
