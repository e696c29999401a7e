using System.Security.Cryptography;
using System.Text;
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

    /// <summary>A deterministic UUID (for stores that need one, like Qdrant) for a chunk id. It stays SHA-256: Qdrant
    /// points written by every version are addressed by it (an ingest overwrites a document's points in place by these
    /// ids), only a Qdrant store computes it, and such a host speaks HTTP to Qdrant with its TLS stack anyway; a default
    /// host (SQLite) never calls it, so it loads no OpenSSL for it.</summary>
    public static Guid Uuid(string chunkId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(chunkId), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5 style (name based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
