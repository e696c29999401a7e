namespace Moltworker.Kernel.Tasks;

/// <summary>A checkpoint as the store keeps it: the schema version and the opaque payload (JSON).</summary>
public sealed record StoredCheckpoint(int SchemaVersion, string Payload, string Phase, int Step);
