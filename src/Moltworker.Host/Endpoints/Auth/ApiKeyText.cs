using System.Security.Cryptography;
using System.Text;

namespace Moltworker.Host.Endpoints.Auth;

/// <summary>API keys as text: <c>mwk_</c> and 32 random bytes in base64url; stored only as the lowercase hex SHA-256 of
/// that text. A fast hash is enough because the key is 256 random bits, not a password: there is nothing to guess, so
/// a slow hash would only slow every request.</summary>
public static class ApiKeyText
{
    public const string Prefix = "mwk_";

    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
