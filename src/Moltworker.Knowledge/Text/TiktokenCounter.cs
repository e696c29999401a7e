using Microsoft.ML.Tokenizers;

namespace Moltworker.Knowledge.Text;

/// <summary>
/// Real token counts from Microsoft.ML.Tokenizers' tiktoken encodings (data from the .Data.O200kBase and
/// .Data.Cl100kBase packages). <see cref="For"/> picks the encoding: a name ("o200k_base", "cl100k_base"), else the
/// encoding tiktoken knows for a model id (text-embedding-3-small → cl100k_base, gpt-4o → o200k_base), else o200k_base;
/// "auto" with no embedding model configured is the estimate (a vocabulary stays in memory for good, ~40 MB).
/// </summary>
public sealed class TiktokenCounter : ITokenCounter
{
    private readonly Tokenizer _tokenizer;

    private TiktokenCounter(Tokenizer tokenizer, string name)
    {
        _tokenizer = tokenizer;
        Name = name;
    }

    public string Name { get; }

    public int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : _tokenizer.CountTokens(text);

    /// <summary>The counter for a setting: "estimate", an encoding name, or "auto" (the embedding model's encoding).</summary>
    public static ITokenCounter For(string? setting, string? model)
    {
        switch (setting?.Trim().ToLowerInvariant())
        {
            case "estimate":
                return EstimatingTokenCounter.Instance;
            case "o200k_base" or "o200k":
                return new TiktokenCounter(TiktokenTokenizer.CreateForEncoding("o200k_base"), "o200k_base");
            case "cl100k_base" or "cl100k":
                return new TiktokenCounter(TiktokenTokenizer.CreateForEncoding("cl100k_base"), "cl100k_base");
            case null or "" or "auto":
                // A vocabulary costs about 40 MB of managed heap for the life of the process (Microsoft.ML.Tokenizers
                // caches it), and real counts matter for what an embedding model accepts: keyword-only, estimate.
                if (string.IsNullOrWhiteSpace(model)) return EstimatingTokenCounter.Instance;
                if (!string.IsNullOrWhiteSpace(model))
                {
                    try
                    {
                        return new TiktokenCounter(TiktokenTokenizer.CreateForModel(model), $"tiktoken ({model})");
                    }
                    catch (NotSupportedException) { }
                    catch (ArgumentException) { }
                }
                return new TiktokenCounter(TiktokenTokenizer.CreateForEncoding("o200k_base"), "o200k_base");
            default:
                throw new ArgumentException($"Moltworker:Knowledge:Tokenizer must be auto, o200k_base, cl100k_base or estimate, not '{setting}'.");
        }
    }
}
