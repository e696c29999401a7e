using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Moltworker.Benchmarks;

/// <summary>
/// The <c>events</c> benchmark's SSE readers in a process of their own (this executable in reader mode,
/// <c>events --sse-readers URL COUNT [CHAT-PREFIX CHATS]</c>), so the host's cost of feeding them is measured apart from
/// the readers'. The child opens <c>COUNT</c> streams on <c>/api/events</c> (stream <c>i</c> with
/// <c>?chat=CHAT-PREFIX{i % CHATS}</c> when a prefix is given, unfiltered otherwise), prints <c>ready</c> once each has its <c>: connected</c>
/// comment, reads until its standard input closes, then prints <c>reads BYTES READS</c> (the bytes and the socket reads
/// of all streams) and exits.
/// </summary>
public sealed class SseReaderProcess : IAsyncDisposable
{
    private const string Flag = "--sse-readers";

    private readonly Process _process;

    private SseReaderProcess(Process process) => _process = process;

    /// <summary>The child's CPU time so far.</summary>
    public TimeSpan CpuTime { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    /// <summary>Whether <paramref name="args"/> ask for reader mode.</summary>
    public static bool IsReaderMode(string[] args) => args.Length >= 3 && args[0] == Flag;

    /// <summary>Starts the child and waits until all its streams are connected.</summary>
    public static async Task<SseReaderProcess> StartAsync(Uri baseUrl, int count, string chatPrefix = "", int chats = 1, bool idlePriority = false)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(idlePriority ? "chrt" : dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (idlePriority) foreach (var a in new[] { "--idle", "0", dotnet }) info.ArgumentList.Add(a);
        foreach (var a in new[] { typeof(SseReaderProcess).Assembly.Location, "events", Flag, baseUrl.ToString(), count.ToString(CultureInfo.InvariantCulture),
                     chatPrefix, chats.ToString(CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[readers] {e.Data}"); };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (line != "ready")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the SSE reader process did not get ready: '{line}'");
        }
        return new SseReaderProcess(process);
    }

    /// <summary>Closes the child's input (it stops reading) and returns the bytes and socket reads it counted.</summary>
    public async Task<(long Bytes, long Reads)> StopAsync()
    {
        _process.StandardInput.Close();
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var parts = line?.Split(' ') ?? [];
        return parts is ["reads", var bytes, var reads]
            ? (long.Parse(bytes, CultureInfo.InvariantCulture), long.Parse(reads, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"the SSE reader process ended with '{line}'");
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reader mode (in the child): <c>--sse-readers URL COUNT [CHAT-PREFIX CHATS]</c>. Each stream is a plain
    /// socket that sends the GET itself and reads with a 64 KB buffer, counting every byte after the response's headers
    /// (the chunked framing included): the readers stand in for clients on other machines, so they should cost this
    /// machine's cores as little as a client can. <c>HttpClient</c>'s response stream read a chunked body through its
    /// connection's 4 KB buffer: about 4 KB a system call, 1.8 ms of CPU a turn for 1,000 unfiltered streams.</summary>
    public static async Task<int> RunReadersAsync(string[] args)
    {
        var baseUrl = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var chatPrefix = args.Length > 4 ? args[3] : "";
        var chats = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        using var stop = new CancellationTokenSource();
        long bytes = 0, reads = 0;
        var streams = new List<Task>(count);
        var connected = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var path = chatPrefix.Length == 0 ? "/api/events" : $"/api/events?chat={Uri.EscapeDataString(chatPrefix + (i % chats))}";
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            connected.Add(ready.Task);
            streams.Add(Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                try
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(baseUrl.Host, baseUrl.Port, stop.Token);
                    await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {baseUrl.Authority}\r\nAccept: text/event-stream\r\n\r\n"), stop.Token);
                    var head = new StringBuilder();
                    int n;
                    while ((n = await socket.ReceiveAsync(buffer, stop.Token)) > 0)
                    {
                        if (!ready.Task.IsCompleted)
                        {
                            head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                            var text = head.ToString();
                            var headers = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                            if (headers < 0) continue;   // the response's headers are not all here yet
                            if (!text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                                throw new HttpRequestException($"the stream was refused: {text.Split('\r')[0]}");
                            if (!text.Contains(": connected", StringComparison.Ordinal)) continue;
                            ready.TrySetResult();   // the ": connected" comment: the subscription is in place
                            n = text.Length - headers - 4;   // the body so far
                        }
                        Interlocked.Add(ref bytes, n);
                        Interlocked.Increment(ref reads);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or HttpRequestException)
                {
                    if (!stop.IsCancellationRequested) ready.TrySetException(ex);
                }
            }));
        }
        await Task.WhenAll(connected);
        Interlocked.Exchange(ref bytes, 0);
        Interlocked.Exchange(ref reads, 0);
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();   // until the parent closes our input
        var (b, r) = (Interlocked.Read(ref bytes), Interlocked.Read(ref reads));
        await stop.CancelAsync();
        await Task.WhenAll(streams);
        Console.WriteLine($"reads {b} {r}");
        return 0;
    }
}
