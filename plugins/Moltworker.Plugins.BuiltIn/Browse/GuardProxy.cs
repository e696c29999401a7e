using System.Net;
using System.Net.Sockets;
using System.Text;
using Moltworker.Abstractions;
using Moltworker.Plugins.BuiltIn.Web;

namespace Moltworker.Plugins.BuiltIn.Browse;

/// <summary>
/// A forward HTTP proxy on 127.0.0.1 for one browser context: every connection the page makes (each redirect hop,
/// fetch and XHR, WebSockets, HTTPS tunnels) is opened through <see cref="SsrfGuard.ConnectAsync"/>, which checks the
/// address the socket really reached. Request interception reports and blocks early; this is the floor under it,
/// for what interception does not see (redirects, DNS rebinding). Plain HTTP is sent on with <c>Connection: close</c>.
/// </summary>
internal sealed class GuardProxy : IAsyncDisposable
{
    private const int MaxHead = 64 * 1024;
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SsrfGuard _guard;
    private readonly BlockedRequests _blocked;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public GuardProxy(SsrfGuard guard, BlockedRequests blocked)
    {
        _guard = guard;
        _blocked = blocked;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Address => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var client = new NetworkStream(socket, ownsSocket: true);
        Stream? upstream = null;
        try
        {
            var (head, rest) = await ReadHeadAsync(client).ConfigureAwait(false);
            if (head is null) return;
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            if (parts.Length != 3) { await ReplyAsync(client, "400 Bad Request").ConfigureAwait(false); return; }
            var connect = parts[0] == "CONNECT";
            string host; int port; byte[] forward;
            if (connect)
            {
                if (!Uri.TryCreate("tcp://" + parts[1], UriKind.Absolute, out var target)) { await ReplyAsync(client, "400 Bad Request").ConfigureAwait(false); return; }
                (host, port, forward) = (target.IdnHost, target.Port, []);
            }
            else
            {
                if (!Uri.TryCreate(parts[1], UriKind.Absolute, out var target) || target.Scheme != "http") { await ReplyAsync(client, "400 Bad Request").ConfigureAwait(false); return; }
                (host, port) = (target.IdnHost, target.Port);
                var headers = lines.Skip(1).Where(l => l.Length > 0 && !IsHopHeader(l));
                forward = Encoding.ASCII.GetBytes($"{parts[0]} {target.PathAndQuery} {parts[2]}\r\n{string.Join("\r\n", headers)}\r\nConnection: close\r\n\r\n");
            }
            try
            {
                upstream = await _guard.ConnectAsync(new DnsEndPoint(host, port), _stop.Token).ConfigureAwait(false);
            }
            catch (SsrfRefusedException ex)
            {
                _blocked.Add(ex.Message);
                await ReplyAsync(client, "403 Forbidden").ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is ToolException or SocketException)
            {
                await ReplyAsync(client, "502 Bad Gateway").ConfigureAwait(false);
                return;
            }
            if (connect) await client.WriteAsync("HTTP/1.1 200 Connection Established\r\n\r\n"u8.ToArray(), _stop.Token).ConfigureAwait(false);
            else await upstream.WriteAsync(forward, _stop.Token).ConfigureAwait(false);
            if (rest.Length > 0) await upstream.WriteAsync(rest, _stop.Token).ConfigureAwait(false);
            var up = client.CopyToAsync(upstream, _stop.Token);
            var down = upstream.CopyToAsync(client, _stop.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser or the server hung up: nothing to report.
        }
        finally
        {
            if (upstream is not null) await upstream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(Stream client)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReadAsync(buffer.AsMemory(length), _stop.Token).ConfigureAwait(false);
            if (read == 0) return (null, []);
            length += read;
            var end = buffer.AsSpan(0, length).IndexOf(HeadEnd);
            if (end >= 0) return (Encoding.ASCII.GetString(buffer, 0, end), buffer[(end + HeadEnd.Length)..length]);
        }
        return (null, []);
    }

    private static bool IsHopHeader(string line)
    {
        var name = line.Split(':', 2)[0].Trim();
        return name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) ||
               name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);
    }

    private Task ReplyAsync(Stream client, string status) =>
        client.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token).AsTask();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
