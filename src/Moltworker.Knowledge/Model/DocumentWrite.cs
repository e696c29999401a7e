namespace Moltworker.Knowledge.Model;

/// <summary>One document and the chunks that replace whatever was stored for it: a unit of
/// <see cref="Stores.IKnowledgeStore.ReplaceDocumentsAsync"/>.</summary>
public sealed record DocumentWrite(DocumentInfo Document, IReadOnlyList<KnowledgeChunk> Chunks);
