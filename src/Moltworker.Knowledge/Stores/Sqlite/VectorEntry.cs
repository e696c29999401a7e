namespace Moltworker.Knowledge.Stores.Sqlite;

/// <summary>A chunk's vector with what filters need (source, tags), held in memory by <see cref="VectorIndex"/>.</summary>
internal sealed record VectorEntry(long Id, string Source, string[] Tags, float[] Vector);
