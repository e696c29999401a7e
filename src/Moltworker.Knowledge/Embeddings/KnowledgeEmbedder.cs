using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>
/// The knowledge base's view of embeddings: absent (keyword-only, and it says so) or a generator whose
/// vectors are normalized to unit length so that a dot product is the cosine similarity.
/// </summary>
public sealed class KnowledgeEmbedder(IEmbeddingGenerator<string, Embedding<float>>? generator, string? modelId)
{
    public static readonly KnowledgeEmbedder None = new(null, null);

    public bool IsEnabled => generator is not null;

    /// <summary>Part of every document hash, so changing the model re-embeds everything.</summary>
    public string Fingerprint => IsEnabled ? "embed:" + (modelId ?? "default") : "keyword-only";

    public string Describe => IsEnabled
        ? $"hybrid (BM25 + vectors from '{modelId}', fused by RRF)"
        : "keyword-only (BM25); no embedding model is configured (Moltworker:Embeddings:Model and BaseUrl)";

    /// <summary>The text that is embedded for a chunk: title and headings give a passage its context.</summary>
    public static string EmbeddingText(KnowledgeChunk chunk) =>
        chunk.HeadingPath.Count == 0 ? $"{chunk.Title}\n\n{chunk.Text}" : $"{chunk.Title} › {chunk.HeadingText}\n\n{chunk.Text}";

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        if (generator is null) throw new InvalidOperationException("No embedding model is configured.");
        if (texts.Count == 0) return [];
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
        if (embeddings.Count != texts.Count)
            throw new EmbeddingHttpException($"Expected {texts.Count} embeddings, got {embeddings.Count}.", null, false);
        return embeddings.Select(e => Normalize(e.Vector.ToArray())).ToArray();
    }

    public static float[] Normalize(float[] vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && Math.Abs(norm - 1f) > 1e-6f) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }
}
