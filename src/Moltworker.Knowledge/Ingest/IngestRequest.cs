namespace Moltworker.Knowledge.Ingest;

/// <summary>What to ingest. <see cref="Prune"/>: documents stored from under these paths whose files are gone
/// are removed. <see cref="Tags"/> are added to every document.</summary>
public sealed record IngestRequest(IReadOnlyList<string> Paths)
{
    public bool Prune { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Re-ingest even unchanged documents.</summary>
    public bool Force { get; init; }

    /// <summary>Files processed at the same time (reading, chunking, embedding); writes are serialized by the store.</summary>
    public int Parallelism { get; init; } = 4;
}
