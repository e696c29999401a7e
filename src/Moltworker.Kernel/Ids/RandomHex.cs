namespace Moltworker.Kernel.Ids;

/// <summary>
/// Random ids in lower-case hex for things that only must not collide (tasks, memories, schedules, approval requests):
/// the random bytes of a new <see cref="Guid"/>, which .NET takes from the operating system's secure random source
/// (on Linux through its own native library, libSystem.Native), so they are as hard to guess as
/// <c>RandomNumberGenerator</c>'s. Not <c>RandomNumberGenerator</c>: on Linux that goes through OpenSSL, which a default host
/// otherwise never loads (docs/decisions/0067). Secrets (API keys, stream tickets) keep <c>RandomNumberGenerator</c>.
/// </summary>
public static class RandomHex
{
    /// <summary>How many random bytes one id can have: a version 4 Guid's 16 bytes less the two that carry its version
    /// and variant bits.</summary>
    public const int MaxBytes = 14;

    /// <summary><paramref name="bytes"/> random bytes (at most <see cref="MaxBytes"/>) as 2 × <paramref name="bytes"/> hex digits.</summary>
    public static string Of(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, MaxBytes);
        Span<byte> guid = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(guid);
        // In Guid's byte layout the version is the high half of byte 7 and the variant the top bits of byte 8: the
        // other 14 bytes are all random.
        Span<byte> random = stackalloc byte[MaxBytes];
        guid[..7].CopyTo(random);
        guid[9..].CopyTo(random[7..]);
        return Convert.ToHexStringLower(random[..bytes]);
    }
}
