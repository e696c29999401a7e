using System.Text.Json;
using System.Threading.Channels;

namespace Moltworker.EndToEnd.Tests.Events;

/// <summary>Reads <c>/api/events</c> over real HTTP: each event's <c>id</c>, <c>event</c> and <c>data</c> lines, checked
/// against each other, into <see cref="Events"/>; heartbeat comments into <see cref="Comments"/>.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private readonly Channel<WireEvent> _events = Channel.CreateUnbounded<WireEvent>();
    private readonly Channel<string> _comments = Channel.CreateUnbounded<string>();

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public ChannelReader<WireEvent> Events => _events.Reader;
    public ChannelReader<string> Comments => _comments.Reader;
    public HttpResponseMessage Response => _response;

    /// <summary>Connects and waits for the stream's first comment (the subscription is in place from then on).</summary>
    public static async Task<SseClient> ConnectAsync(HttpClient http, string query, long? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/events" + query);
        if (lastEventId is { } id) request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode) Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var client = new SseClient(response);
        Assert.Equal(": connected", await client.Comments.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        return client;
    }

    /// <summary>Events until (and with) the one <paramref name="last"/> accepts.</summary>
    public async Task<List<WireEvent>> ReadUntilAsync(Func<WireEvent, bool> last)
    {
        var list = new List<WireEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var e = await _events.Reader.ReadAsync(timeout.Token);
            list.Add(e);
            if (last(e)) return list;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_stop.Token));
            string? id = null, name = null, data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.StartsWith(':')) _comments.Writer.TryWrite(line);
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
                else if (line.Length == 0 && data is not null)
                {
                    var e = WireEvent.From(JsonSerializer.Deserialize<JsonElement>(data));
                    Assert.Equal(id, e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Assert.Equal(name, e.Name);
                    _events.Writer.TryWrite(e);
                    id = name = data = null;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException) { }
        finally
        {
            _events.Writer.TryComplete();
            _comments.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        await _reading;
    }
}
