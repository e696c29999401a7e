using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>A real WebSocket client of <c>/api/ws</c>: every text message the server sends, as JSON, into <see cref="Messages"/>.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reading;

    private SocketClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadAsync);
    }

    public ChannelReader<JsonElement> Messages => _messages.Reader;
    public WebSocket Socket => _socket;

    public static async Task<SocketClient> ConnectAsync(Uri baseAddress, string query)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/api/ws", Query = query.TrimStart('?') }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None);
        return new SocketClient(socket);
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads until <paramref name="done"/> holds for what was read; returns the events and the other messages.</summary>
    public async Task<(List<WireEvent> Events, List<JsonElement> Others)> ReadUntilAsync(Func<List<WireEvent>, List<JsonElement>, bool> done)
    {
        var events = new List<WireEvent>();
        var others = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!done(events, others))
        {
            var message = await _messages.Reader.ReadAsync(timeout.Token);
            if (message.GetProperty("type").GetString() == "event") events.Add(WireEvent.From(message.GetProperty("event")));
            else others.Add(message);
        }
        return (events, others);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                _messages.Writer.TryWrite(JsonSerializer.Deserialize<JsonElement>(message.ToArray()));
                message.SetLength(0);
            }
        }
        catch (WebSocketException) { }
        finally { _messages.Writer.TryComplete(); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException) { _socket.Abort(); }
        }
        await _reading;
        _socket.Dispose();
    }
}
