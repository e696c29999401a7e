using Moltworker.Kernel.Ids;

namespace Moltworker.Knowledge.Model;

/// <summary>Stable identifiers: documents from their source, chunks from document and position.</summary>
public static class ChunkIds
{
    public static string For(string documentId, int position) => $"{documentId}#{position}";

    /// <summary>A document id: the first 16 hex digits of the <see cref="ContentHash"/> (XxHash128) of the source.
    /// Until 2026-12 it was the first 16 of its SHA-256: a document stored under such an id is replaced by the next
    /// ingest of its source, which removes the other documents of the same source when it adds one
    /// (<see cref="Ingest.KnowledgeIngestor"/>).</summary>
    public static string Document(string source) => ContentHash.Hex(source)[..16];

    /// <summary>A deterministic UUID (for stores that need one, like Qdrant) for a chunk id: its 128-bit
    /// <see cref="ContentHash"/> with the version and variant bits set. Only the same chunk id must give the same UUID
    /// (an ingest upserts a document's points by it); a Qdrant store deletes a document's points by their
    /// <c>document_id</c>, not by UUID, so points written under the SHA-256 UUIDs used until 2026-12 are removed with
    /// their document like any other.</summary>
    public static Guid Uuid(string chunkId)
    {
        Span<byte> bytes = stackalloc byte[ContentHash.Size];
        ContentHash.Hash(chunkId, bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5 style (name based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
