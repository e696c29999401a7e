using System.Net;
using System.Net.Sockets;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary>
/// Which addresses <c>fetch_url</c> may connect to: public unicast only. Refuses loopback, private (RFC 1918,
/// unique local), carrier-grade NAT, link-local (incl. the cloud metadata address 169.254.169.254), multicast,
/// broadcast, unspecified and reserved ranges, also when wrapped in IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4).
/// </summary>
internal sealed class AddressPolicy(int testOnlyLoopbackPort = 0)
{
    /// <summary>Null when allowed, otherwise why not.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (testOnlyLoopbackPort > 0 && port == testOnlyLoopbackPort && IPAddress.IsLoopback(address)) return null;
        return Classify(address);
    }

    public static string? Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
            var b = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6Loopback)) return "loopback";
            if (address.Equals(IPAddress.IPv6Any)) return "unspecified";
            if (b[0] == 0xff) return "multicast";
            if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";
            if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "site-local";
            if ((b[0] & 0xfe) == 0xfc) return "private (unique local)";
            if (b.Take(12).All(x => x == 0)) return Classify(new IPAddress(b[12..])) ?? "IPv4-compatible";
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return Classify(new IPAddress(b[12..]));
            if (b[0] == 0x20 && b[1] == 0x02) return Classify(new IPAddress(b[2..6]));
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return "documentation";
            return null;
        }
        if (address.AddressFamily != AddressFamily.InterNetwork) return "not an IP address";
        var v = address.GetAddressBytes();
        return v switch
        {
            [0, ..] => "unspecified",
            [10, ..] => "private",
            [127, ..] => "loopback",
            [169, 254, 169, 254] => "cloud metadata",
            [169, 254, ..] => "link-local",
            [172, >= 16 and <= 31, ..] => "private",
            [192, 168, ..] => "private",
            [100, >= 64 and <= 127, ..] => "carrier-grade NAT",
            [192, 0, 0, _] => "reserved",
            [192, 0, 2, _] or [198, 51, 100, _] or [203, 0, 113, _] => "documentation",
            [198, 18 or 19, ..] => "benchmarking",
            [255, 255, 255, 255] => "broadcast",
            [>= 224 and <= 239, ..] => "multicast",
            [>= 240, ..] => "reserved",
            _ => null,
        };
    }
}
