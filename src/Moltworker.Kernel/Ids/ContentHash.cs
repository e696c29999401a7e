using System.IO.Hashing;
using System.Text;

namespace Moltworker.Kernel.Ids;

/// <summary>
/// Stable content hashes: XxHash128 (System.IO.Hashing), as 32 lower-case hex digits, the same on every machine, process
/// and version. For what only has to notice a change or name a thing deterministically (a file's stamp, a document's
/// id, an etag, a task id made from a message id); not for secrets, nor where someone could gain by making two inputs
/// collide on purpose: those keep SHA-256. Not SHA-256 here because on Linux .NET's SHA-256 goes through OpenSSL, and
/// loading it (libcrypto, libssl and .NET's shim) costs a host about 4 MB of resident memory that a default host
/// otherwise never needs (docs/decisions/0067).
/// </summary>
public static class ContentHash
{
    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Hex(string text)
    {
        Span<byte> hash = stackalloc byte[Size];
        Hash(text, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The hash's size in bytes.</summary>
    public const int Size = 16;

    /// <summary>Writes the hash of <paramref name="text"/>'s UTF-8 bytes (the bytes <see cref="Hex(string)"/> spells)
    /// into <paramref name="hash"/>, <see cref="Size"/> bytes.</summary>
    public static void Hash(string text, Span<byte> hash)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length <= 1024)
        {
            Span<byte> bytes = stackalloc byte[length];
            XxHash128.Hash(bytes[..Encoding.UTF8.GetBytes(text, bytes)], hash);
        }
        else XxHash128.Hash(Encoding.UTF8.GetBytes(text), hash);
    }

    /// <summary>The hash of <paramref name="bytes"/>.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[Size];
        XxHash128.Hash(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The hash of what is left to read in <paramref name="stream"/>.</summary>
    public static string Hex(Stream stream)
    {
        var hasher = new XxHash128();
        hasher.Append(stream);
        Span<byte> hash = stackalloc byte[Size];
        hasher.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }
}
