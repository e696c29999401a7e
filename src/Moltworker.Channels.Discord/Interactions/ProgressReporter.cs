using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// While a command runs, edits its deferred response with progress from the kernel's events for the same chat
/// (phase, tool running, calls done), at most once per interval. Stopped before the final answer is written,
/// so a late progress edit never overwrites it.
/// </summary>
public sealed partial class ProgressReporter : IAsyncDisposable
{
    private readonly Channel<string> _updates = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly DiscordRestClient _rest;
    private readonly string _token;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public ProgressReporter(IEventBus bus, ChatAddress address, DiscordRestClient rest, string token, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _rest = rest;
        _token = token;
        _interval = interval;
        _time = time;
        _logger = logger;
        _subscription = bus.Subscribe(e =>
        {
            if (e.Address == address && Describe(e) is { } text) _updates.Writer.TryWrite(text);
        });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Number of progress edits sent (for tests and logs).</summary>
    public int Edits { get; private set; }

    public static string? Describe(KernelEvent e) => e switch
    {
        PhaseChanged p => $"⏳ Working… ({p.Phase})",
        CallStarted c => $"⏳ Working… running `{c.Tool}`",
        Progress p when p.Total > 1 => $"⏳ Working… {p.Done}/{p.Total} tool calls done",
        TaskResumed => "⏳ Resuming…",
        _ => null,
    };

    private async Task PumpAsync()
    {
        var last = DateTimeOffset.MinValue;
        try
        {
            while (await _updates.Reader.WaitToReadAsync(_stop.Token))
            {
                var wait = last + _interval - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, _stop.Token);
                if (!_updates.Reader.TryRead(out var text)) continue;
                try
                {
                    await _rest.EditOriginalResponseAsync(_token, InteractionResponses.MessageBody(text, false), _stop.Token);
                    Edits++;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogProgressFailed(_logger, ex);
                }
                last = _time.GetUtcNow();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Stops listening and waits for an edit in flight to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _updates.Writer.TryComplete();
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A Discord progress edit failed")]
    private static partial void LogProgressFailed(ILogger logger, Exception ex);
}
