namespace Moltworker.Knowledge.Ingest;

/// <summary>Counts so far, reported after each file.</summary>
public sealed record IngestProgress(int FilesTotal, int FilesDone, int Added, int Updated, int Unchanged, int Failed, int Chunks, TimeSpan Elapsed)
{
    public double ChunksPerSecond => Elapsed.TotalSeconds > 0 ? Chunks / Elapsed.TotalSeconds : 0;
}
