namespace Moltworker.Knowledge.Ingest;

/// <summary>A file that could not be ingested, and why.</summary>
public sealed record IngestFailure(string Path, string Error);
