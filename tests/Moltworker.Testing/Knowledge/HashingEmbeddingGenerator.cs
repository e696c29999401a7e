using Microsoft.Extensions.AI;

namespace Moltworker.Testing.Knowledge;

/// <summary>
/// A deterministic local test embedder: a hashed bag of words (lower-cased letter/digit runs, plus character
/// trigrams of each word for a little fuzziness) folded into <see cref="Dimensions"/> buckets with a sign hash,
/// then normalized. Not semantic; good enough to exercise vector search, fusion and benchmarks without a model.
/// </summary>
public sealed class HashingEmbeddingGenerator(int dimensions = 384, string modelId = "test-hashing-384") : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("test-hashing", null, modelId, dimensions);

    public int Dimensions { get; } = dimensions;

    public int Calls;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v)) { ModelId = modelId })));
    }

    public float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in Words(text))
        {
            Add(vector, word, 1f);
            if (word.Length > 4)
                for (var i = 0; i + 3 <= word.Length; i++) Add(vector, "#" + word.Substring(i, 3), 0.25f);
        }
        var norm = (float)Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm > 0) for (var i = 0; i < vector.Length; i++) vector[i] /= norm;
        return vector;
    }

    private void Add(float[] vector, string feature, float weight)
    {
        var hash = Fnv(feature);
        vector[(int)(hash % (uint)Dimensions)] += (hash & 0x8000_0000) == 0 ? weight : -weight;
    }

    private static IEnumerable<string> Words(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var c in text + " ")
        {
            if (char.IsLetterOrDigit(c)) current.Append(char.ToLowerInvariant(c));
            else if (current.Length > 0)
            {
                if (current.Length > 1) yield return current.ToString();
                current.Clear();
            }
        }
    }

    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) { hash ^= c; hash *= 16777619u; }
        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata : serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
