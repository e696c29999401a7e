using System.Text;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Signing;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Discord.Tests.Signing;

public sealed class SignatureValidatorTests
{
    private readonly TestSigner _discord = new();
    private readonly FakeTimeProvider _time = new();
    private const string Body = """{"type":1,"id":"1","application_id":"4242"}""";

    private InteractionSignatureValidator Validator(string publicKey) =>
        new(Microsoft.Extensions.Options.Options.Create(new DiscordOptions { PublicKey = publicKey, SignatureWindowSeconds = 300 }), _time);

    private string Now => _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_valid_signature_over_timestamp_and_body_passes()
    {
        var ts = Now;
        Assert.Equal(SignatureCheck.Valid, Validator(_discord.PublicKeyHex).Check(_discord.Sign(ts, Body), ts, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        var ts = Now;
        var sig = _discord.Sign(ts, Body);
        var tampered = Body.Replace("\"type\":1", "\"type\":2", StringComparison.Ordinal);
        Assert.Equal(SignatureCheck.BadSignature, Validator(_discord.PublicKeyHex).Check(sig, ts, Encoding.UTF8.GetBytes(tampered)));
    }

    [Fact]
    public void A_signature_by_another_key_fails()
    {
        var ts = Now;
        var other = new TestSigner();
        Assert.Equal(SignatureCheck.BadSignature, Validator(_discord.PublicKeyHex).Check(other.Sign(ts, Body), ts, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void The_timestamp_is_part_of_what_is_signed()
    {
        var ts = Now;
        var sig = _discord.Sign(ts, Body);
        var later = (long.Parse(ts, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SignatureCheck.BadSignature, Validator(_discord.PublicKeyHex).Check(sig, later, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void Timestamps_outside_the_window_are_refused_even_when_correctly_signed()
    {
        var old = _time.GetUtcNow().AddSeconds(-301).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var future = _time.GetUtcNow().AddSeconds(301).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var v = Validator(_discord.PublicKeyHex);
        Assert.Equal(SignatureCheck.StaleTimestamp, v.Check(_discord.Sign(old, Body), old, Encoding.UTF8.GetBytes(Body)));
        Assert.Equal(SignatureCheck.StaleTimestamp, v.Check(_discord.Sign(future, Body), future, Encoding.UTF8.GetBytes(Body)));
        var edge = _time.GetUtcNow().AddSeconds(-299).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SignatureCheck.Valid, v.Check(_discord.Sign(edge, Body), edge, Encoding.UTF8.GetBytes(Body)));
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("ab", null)]
    [InlineData("", "")]
    public void Missing_headers_are_refused(string? sig, string? ts) =>
        Assert.Equal(SignatureCheck.MissingHeader, Validator(_discord.PublicKeyHex).Check(sig, ts, Encoding.UTF8.GetBytes(Body)));

    [Theory]
    [InlineData("zz")]
    [InlineData("abcd")]
    public void Malformed_signatures_are_refused_without_throwing(string sig) =>
        Assert.Equal(SignatureCheck.BadSignature, Validator(_discord.PublicKeyHex).Check(sig, Now, Encoding.UTF8.GetBytes(Body)));

    [Fact]
    public void Without_a_public_key_nothing_passes() =>
        Assert.Equal(SignatureCheck.NotConfigured, Validator("").Check("ab", Now, Encoding.UTF8.GetBytes(Body)));
}
