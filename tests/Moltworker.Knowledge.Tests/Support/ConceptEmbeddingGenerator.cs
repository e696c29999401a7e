using Microsoft.Extensions.AI;

namespace Moltworker.Knowledge.Tests.Support;

/// <summary>A tiny "semantic" embedder for labelled tests: words map to concepts through a synonym table, so
/// "vehicle" and "automobile" land on the same dimension while BM25 sees different words.</summary>
public sealed class ConceptEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly string[][] Concepts =
    [
        ["car", "cars", "automobile", "vehicle"],
        ["repair", "fix", "maintenance", "mechanic", "services"],
        ["price", "prices", "cost", "cheap"],
        ["flower", "flowers", "rose", "tulip"],
        ["garden", "yard"],
        ["engine", "motor"],
    ];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)))));

    public static float[] Embed(string text)
    {
        var vector = new float[Concepts.Length + 1];
        vector[^1] = 0.05f;
        foreach (var word in text.ToLowerInvariant().Split([' ', '.', ',', ':', '\n', '#', '?'], StringSplitOptions.RemoveEmptyEntries))
            for (var c = 0; c < Concepts.Length; c++)
                if (Concepts[c].Contains(word)) vector[c] += 1;
        var norm = (float)Math.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("concepts", null, "concepts-7") : null;

    public void Dispose() { }
}
