using Microsoft.Extensions.AI;

namespace Moltworker.Knowledge.Embeddings;

/// <summary>Splits a large request into requests of at most <c>batchSize</c> inputs, in order.</summary>
public sealed class BatchingEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, int batchSize)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly int _batchSize = Math.Max(1, batchSize);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var all = new GeneratedEmbeddings<Embedding<float>>();
        long? input = null, total = null;
        foreach (var batch in values.Chunk(_batchSize))
        {
            var part = await base.GenerateAsync(batch, options, cancellationToken);
            all.AddRange(part);
            if (part.Usage is { } usage)
            {
                input = (input ?? 0) + (usage.InputTokenCount ?? 0);
                total = (total ?? 0) + (usage.TotalTokenCount ?? 0);
            }
        }
        if (input is not null || total is not null) all.Usage = new UsageDetails { InputTokenCount = input, TotalTokenCount = total };
        return all;
    }
}
