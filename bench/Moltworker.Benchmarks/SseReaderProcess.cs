using System.Diagnostics;
using System.Globalization;

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
    public static async Task<SseReaderProcess> StartAsync(Uri baseUrl, int count, string chatPrefix = "", int chats = 1)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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

    /// <summary>Reader mode (in the child): <c>--sse-readers URL COUNT [CHAT-PREFIX CHATS]</c>.</summary>
    public static async Task<int> RunReadersAsync(string[] args)
    {
        var baseUrl = new Uri(args[1]);
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var chatPrefix = args.Length > 4 ? args[3] : "";
        var chats = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = count + 10 };
        using var http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
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
                var buffer = new byte[16 * 1024];
                try
                {
                    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop.Token);
                    response.EnsureSuccessStatusCode();
                    await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
                    int n;
                    while ((n = await body.ReadAsync(buffer, stop.Token)) > 0)
                    {
                        ready.TrySetResult();   // the ": connected" comment: the subscription is in place
                        Interlocked.Add(ref bytes, n);
                        Interlocked.Increment(ref reads);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
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
