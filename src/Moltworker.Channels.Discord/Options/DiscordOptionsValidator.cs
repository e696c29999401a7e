using Microsoft.Extensions.Options;

namespace Moltworker.Channels.Discord.Options;

/// <summary>Checked at start when the channel is configured: URLs absolute, the public key 32 bytes of hex for the
/// HTTP transport, limits not negative. An unconfigured channel is always valid (it does nothing).</summary>
public sealed class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions o)
    {
        if (!o.IsConfigured) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (!Uri.TryCreate(o.ApiBase, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            errors.Add("Moltworker:Discord:ApiBase must be an absolute http(s) URL.");
        if (o.Transport == DiscordTransport.Http)
        {
            if (string.IsNullOrWhiteSpace(o.PublicKey) || o.PublicKey.Trim().Length != 64 || Signing.Hex.TryDecode(o.PublicKey) is null)
                errors.Add("Moltworker:Discord:PublicKey must be the application's public key: 64 hex characters from the developer portal.");
        }
        else if (!Uri.TryCreate(o.GatewayUrl, UriKind.Absolute, out var gw) || gw.Scheme is not ("ws" or "wss"))
        {
            errors.Add("Moltworker:Discord:GatewayUrl must be an absolute ws(s) URL.");
        }
        if (o.UserRateLimit < 0) errors.Add("Moltworker:Discord:UserRateLimit must be 0 (unlimited) or more.");
        if (o.SignatureWindowSeconds <= 0) errors.Add("Moltworker:Discord:SignatureWindowSeconds must be positive.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
