using System.Security.Cryptography;
using System.Text;

namespace Moltworker.Knowledge.Model;

/// <summary>Stable identifiers: documents from their source, chunks from document and position.</summary>
public static class ChunkIds
{
    public static string For(string documentId, int position) => $"{documentId}#{position}";

    /// <summary>A document id: the first 16 hex digits of SHA-256 over the source.</summary>
    public static string Document(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];

    /// <summary>A deterministic UUID (for stores that need one, like Qdrant) for a chunk id.</summary>
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
