using System.Net;
using System.Net.Sockets;

namespace Moltworker.Plugins.BuiltIn.Web;

/// <summary>
/// Resolves a host and refuses it when any of its addresses is not public (checked before each hop), and checks
/// again the address a socket actually connected to (<see cref="ConnectAsync"/>, the handler's ConnectCallback),
/// so DNS rebinding between the check and the connect does not get through.
/// </summary>
internal sealed class SsrfGuard(AddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    public static Task<IPAddress[]> ResolveWithDns(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>Throws <see cref="SsrfRefusedException"/> unless every address of <paramref name="uri"/>'s host is allowed.</summary>
    public async Task CheckAsync(Uri uri, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(uri.IdnHost, cancellationToken).ConfigureAwait(false);
        foreach (var address in addresses)
            if (policy.Refusal(address, uri.Port) is { } why)
                throw new SsrfRefusedException($"refused to fetch {uri.Host}: it resolves to a {why} address ({address})");
    }

    /// <summary>Connects to an allowed address of the endpoint and verifies the address the socket reached.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var refused = addresses.Select(a => (Address: a, Why: policy.Refusal(a, endpoint.Port))).ToList();
        if (refused.FirstOrDefault(r => r.Why is not null) is { Why: not null } bad)
            throw new SsrfRefusedException($"refused to connect to {endpoint.Host}: it resolves to a {bad.Why} address ({bad.Address}) at connect time");
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endpoint.Port, cancellationToken).ConfigureAwait(false);
                if (socket.RemoteEndPoint is IPEndPoint remote && policy.Refusal(remote.Address, remote.Port) is { } why)
                    throw new SsrfRefusedException($"refused connection to {endpoint.Host}: connected to a {why} address ({remote.Address})");
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.Trim('[', ']');
        if (IPAddress.TryParse(literal, out var ip)) return [ip];
        IPAddress[] addresses;
        try
        {
            addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new Moltworker.Abstractions.ToolException($"web fetch failed: cannot resolve {host} ({ex.SocketErrorCode})", transient: true);
        }
        if (addresses.Length == 0)
            throw new Moltworker.Abstractions.ToolException($"web fetch failed: {host} has no addresses", transient: true);
        return addresses;
    }
}
