using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// The key of one cached result: the tool's name, the SHA-256 of its <see cref="CanonicalArguments"/>, and, for a tool
/// whose results are per user, the user. The arguments are hashed so that keys have one length whatever the call, and
/// no argument (a URL with a token in it) is written into the key column in clear. It stays SHA-256, unlike the
/// content hashes that moved to <see cref="Ids.ContentHash"/> (docs/decisions/0067): the key is a boundary between
/// users. A shared tool's result (<c>fetch_url</c>) is served to whoever asks with the same key, so two arguments made
/// to collide would let one person's call plant the answer to another's, which a non-cryptographic hash does not
/// rule out; and the hash stands in for arguments that may hold secrets. OpenSSL is loaded on the first cached call
/// only, and the cacheable built-in tools call HTTPS services, which load it anyway.
/// </summary>
public static class ToolCacheKey
{
    /// <summary>What every key starts with, so the tool-result cache's keys never meet other users of a cache.</summary>
    public const string Prefix = "tool:";

    public static string Of(string tool, AIFunctionArguments arguments, string? user)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalArguments.Of(arguments))));
        return user is null ? $"{Prefix}{tool}:{hash}" : $"{Prefix}{tool}:{hash}:user:{user}";
    }
}
