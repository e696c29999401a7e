using Microsoft.ML.Tokenizers;

namespace Moltworker.Knowledge.Text;

/// <summary>
/// Real token counts from Microsoft.ML.Tokenizers' tiktoken encodings (data from the .Data.O200kBase and
/// .Data.Cl100kBase packages). <see cref="For"/> picks the encoding: a name ("o200k_base", "cl100k_base"), else the
/// encoding tiktoken knows for a model id (text-embedding-3-small → cl100k_base, gpt-4o → o200k_base), else o200k_base.
/// An encoding's vocabulary costs about 40 MB of managed heap, and the host needs it only while it ingests: it is
/// loaded on first use and held weakly, so the GC takes it back once ingestion is over (the kernel benchmark's host
/// went from 190 to 146 MB RSS), and the next ingest loads it again.
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    private readonly Func<Tokenizer> _load;
    private readonly WeakReference<Tokenizer?> _tokenizer = new(null);
    private readonly Lock _gate = new();

    private TiktokenCounter(Func<Tokenizer> load, string name)
    {
        _load = load;
        Name = name;
    }

    public string Name { get; }

    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : Tokenizer().CountTokens(text);

    /// <summary>True while the vocabulary is in memory (tests).</summary>
    internal bool IsLoaded => _tokenizer.TryGetTarget(out var t) && t is not null;

    private Tokenizer Tokenizer()
    {
        if (_tokenizer.TryGetTarget(out var tokenizer) && tokenizer is not null) return tokenizer;
        lock (_gate)
        {
            if (_tokenizer.TryGetTarget(out tokenizer) && tokenizer is not null) return tokenizer;
            tokenizer = _load();
            _tokenizer.SetTarget(tokenizer);
            return tokenizer;
        }
    }

    /// <summary>The counter for a setting: "estimate", an encoding name, or "auto" (the embedding model's encoding).</summary>
    public static ITokenCounter For(string? setting, string? model)
    {
        switch (setting?.Trim().ToLowerInvariant())
        {
            case "estimate":
                return EstimatingTokenCounter.Instance;
            case "o200k_base" or "o200k":
                return new TiktokenCounter(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), "o200k_base");
            case "cl100k_base" or "cl100k":
                return new TiktokenCounter(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"), "cl100k_base");
            case null or "" or "auto":
                if (!string.IsNullOrWhiteSpace(model))
                {
                    try
                    {
                        var known = TiktokenTokenizer.CreateForModel(model);   // throws for a model tiktoken does not know
                        var counter = new TiktokenCounter(() => TiktokenTokenizer.CreateForModel(model), $"tiktoken ({model})");
                        counter._tokenizer.SetTarget(known);
                        return counter;
                    }
                    catch (NotSupportedException) { }
                    catch (ArgumentException) { }
                }
                return new TiktokenCounter(() => TiktokenTokenizer.CreateForEncoding("o200k_base"), "o200k_base");
            default:
                throw new ArgumentException($"Moltworker:Knowledge:Tokenizer must be auto, o200k_base, cl100k_base or estimate, not '{setting}'.");
        }
    }
}
