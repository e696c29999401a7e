using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Moltworker.Kernel.Filters.Caching;

/// <summary>
/// The key of one cached result: the tool's name, the SHA-256 of its <see cref="CanonicalArguments"/>, and, for a tool
/// whose results are per user, the user. The arguments are hashed so that keys have one length whatever the call, and
/// no argument (a URL with a token in it) is written into the key column in clear.
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
