using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Options;

namespace Moltworker.Channels.Discord.Signing;

/// <summary>
/// Checks an interaction request: <c>X-Signature-Ed25519</c> must sign <c>X-Signature-Timestamp</c> followed by
/// the raw body, with the application's public key; the timestamp (Unix seconds) must be within
/// <see cref="DiscordOptions.SignatureWindowSeconds"/> of now, which stops replays of old requests.
/// </summary>
public sealed class InteractionSignatureValidator(IOptions<DiscordOptions> options, TimeProvider time)
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";

    private readonly Lazy<Ed25519SignatureVerifier?> _verifier = new(() =>
        string.IsNullOrWhiteSpace(options.Value.PublicKey) ? null : new Ed25519SignatureVerifier(options.Value.PublicKey));

    public SignatureCheck Check(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_verifier.Value is not { } verifier) return SignatureCheck.NotConfigured;
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp)) return SignatureCheck.MissingHeader;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return SignatureCheck.BadTimestamp;
        var age = time.GetUtcNow().ToUnixTimeSeconds() - seconds;
        if (Math.Abs(age) > options.Value.SignatureWindowSeconds) return SignatureCheck.StaleTimestamp;

        var prefix = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return verifier.Verify(signatureHex, message) ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }
}
