using Microsoft.Extensions.AI;

namespace Moltworker.Knowledge.Tests.Support;

/// <summary>Holds every embedding call whose input matches <paramref name="hold"/> until <paramref name="release"/> completes;
/// <see cref="Held"/> completes when the first such call arrives. Lets a test keep an ingest in progress, without timing.</summary>
public sealed class GatedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, Func<string, bool> hold, Task release)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Held => _held.Task;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = values.ToList();
        if (list.Any(hold))
        {
            _held.TrySetResult();
            await release.WaitAsync(cancellationToken);
        }
        return await inner.GenerateAsync(list, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

    public void Dispose() => inner.Dispose();
}
