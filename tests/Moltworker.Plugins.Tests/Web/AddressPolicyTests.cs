using System.Net;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.Tests.Web;

public class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.100.100.200")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("fe80::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a9fe:a9fe::")]
    public void Refuses_non_public_addresses(string address) =>
        Assert.NotNull(AddressPolicy.Classify(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public void Allows_public_addresses(string address) =>
        Assert.Null(AddressPolicy.Classify(IPAddress.Parse(address)));

    [Fact]
    public void Test_seam_allows_loopback_only_on_its_port()
    {
        var policy = new AddressPolicy(testOnlyLoopbackPort: 5555);
        Assert.Null(policy.Refusal(IPAddress.Loopback, 5555));
        Assert.Null(policy.Refusal(IPAddress.Parse("::ffff:127.0.0.1"), 5555));
        Assert.NotNull(policy.Refusal(IPAddress.Loopback, 5556));
        Assert.NotNull(policy.Refusal(IPAddress.Parse("10.0.0.1"), 5555));
        Assert.NotNull(new AddressPolicy().Refusal(IPAddress.Loopback, 5555));
    }

    private static readonly (uint Network, int Bits)[] Forbidden =
    [
        (0x00000000, 8), (0x0A000000, 8), (0x7F000000, 8), (0xA9FE0000, 16), (0xAC100000, 12), (0xC0A80000, 16),
        (0x64400000, 10), (0xC0000000, 24), (0xC0000200, 24), (0xC6336400, 24), (0xCB007100, 24), (0xC6120000, 15),
        (0xE0000000, 4), (0xF0000000, 4),
    ];

    private static bool InForbiddenRange(uint address) =>
        Forbidden.Any(r => (address >> (32 - r.Bits)) == (r.Network >> (32 - r.Bits)));

    [Fact]
    public void Random_ipv4_addresses_are_classified_like_the_reference_ranges_also_when_ipv6_wrapped()
    {
        var random = new Random(1121);
        for (var i = 0; i < 20_000; i++)
        {
            var value = (uint)random.NextInt64(0, 1L << 32);
            if (i % 4 == 0) value = Forbidden[random.Next(Forbidden.Length)].Network | (value >> 20); // bias towards the edges of ranges
            var bytes = new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };
            var v4 = new IPAddress(bytes);
            var expected = InForbiddenRange(value);
            Assert.True(expected == (AddressPolicy.Classify(v4) is not null), $"{v4}");
            Assert.True(expected == (AddressPolicy.Classify(v4.MapToIPv6()) is not null), $"{v4.MapToIPv6()}");
            var nat64 = new byte[16];
            nat64[0] = 0x00; nat64[1] = 0x64; nat64[2] = 0xff; nat64[3] = 0x9b;
            bytes.CopyTo(nat64, 12);
            Assert.True(expected == (AddressPolicy.Classify(new IPAddress(nat64)) is not null), $"NAT64 {v4}");
        }
    }
}
