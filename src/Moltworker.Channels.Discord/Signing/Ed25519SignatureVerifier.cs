using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Moltworker.Channels.Discord.Signing;

/// <summary>Verifies Ed25519 signatures with one public key (32 bytes, given as hex).</summary>
public sealed class Ed25519SignatureVerifier
{
    private readonly Ed25519PublicKeyParameters _key;

    public Ed25519SignatureVerifier(string publicKeyHex)
    {
        var bytes = Hex.TryDecode(publicKeyHex) ?? throw new ArgumentException("The Discord public key is not hex.", nameof(publicKeyHex));
        if (bytes.Length != Ed25519PublicKeyParameters.KeySize)
            throw new ArgumentException($"The Discord public key must be {Ed25519PublicKeyParameters.KeySize} bytes, not {bytes.Length}.", nameof(publicKeyHex));
        _key = new Ed25519PublicKeyParameters(bytes, 0);
    }

    /// <summary>True when <paramref name="signatureHex"/> signs <paramref name="message"/>. Malformed input is false, never an exception.</summary>
    public bool Verify(string? signatureHex, ReadOnlySpan<byte> message)
    {
        var signature = Hex.TryDecode(signatureHex);
        if (signature is not { Length: 64 }) return false;
        var signer = new Ed25519Signer();
        signer.Init(false, _key);
        signer.BlockUpdate(message.ToArray(), 0, message.Length);
        return signer.VerifySignature(signature);
    }
}
