namespace Moltworker.Knowledge.Ingest;

/// <summary>The result of one ingest run. <see cref="Chunks"/> counts chunks written (new or changed documents).</summary>
public sealed record IngestSummary(int Files, int Added, int Updated, int Unchanged, int Removed, int Chunks, TimeSpan Elapsed, string Mode)
{
    public IReadOnlyList<IngestFailure> Failures { get; init; } = [];

    public double ChunksPerSecond => Elapsed.TotalSeconds > 0 ? Chunks / Elapsed.TotalSeconds : 0;

    public override string ToString() =>
        $"{Files} files: {Added} added, {Updated} updated, {Unchanged} unchanged, {Removed} removed, {Failures.Count} failed; " +
        $"{Chunks} chunks in {Elapsed.TotalSeconds:0.0} s ({ChunksPerSecond:0} chunks/s); retrieval: {Mode}";
}
