using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Progress;

/// <summary>
/// One status message per turn, sent when the first tool batch starts and edited from the kernel's events
/// (at most one edit per EditInterval; the latest text wins). Nothing is sent for turns with no tool call or
/// a single one.
/// </summary>
public sealed partial class ProgressStatus : IAsyncDisposable
{
    private readonly ReplySender _sender;
    private readonly ReplyTarget _target;
    private readonly ChatAddress _address;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;
    private readonly Lock _gate = new();
    private string? _latest;
    private int _calls, _errors, _batches;
    private int? _messageId;

    public ProgressStatus(IEventBus bus, ReplySender sender, ReplyTarget target, ChatAddress address, TimeProvider time, TimeSpan interval, ILogger logger)
    {
        (_sender, _target, _address, _time, _interval, _logger) = (sender, target, address, time, interval, logger);
        _subscription = bus.Subscribe(OnEvent);
        _worker = RunAsync(_stop.Token);
    }

    /// <summary>The id of the status message, once sent.</summary>
    public int? MessageId => _messageId;

    private void OnEvent(KernelEvent e)
    {
        if (e.Address.Channel != _address.Channel || e.Address.ChatId != _address.ChatId) return;
        lock (_gate)
        {
            switch (e)
            {
                case BatchStarted b:
                    _calls += b.Tools.Count;
                    _batches++;
                    // A lone single call is not worth a message; several calls or a second batch are.
                    if (b.Tools.Count > 1 || _batches > 1) Publish(ProgressText.Running(b.Tools, 0, b.Parallel));
                    break;
                case Kernel.Events.Progress p when _latest is not null && _latest.StartsWith(ProgressText.RunningMark, StringComparison.Ordinal):
                    Publish(_latest[.._latest.LastIndexOf(' ')] + $" {p.Done}/{p.Total}");
                    break;
                case BatchCompleted c:
                    _errors += c.Errors;
                    if (_latest is not null) Publish(ProgressText.Finished(_calls, _errors));
                    break;
            }
        }
    }

    private void Publish(string text)
    {
        _latest = text;
        _signal.Release();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        string? shown = null;
        while (true)
        {
            try { await _signal.WaitAsync(ct); }
            catch (OperationCanceledException) { }
            // Read before showing: when the stop comes while an older text is on the wire, the loop goes round once more
            // and shows the last one (the turn's final state), instead of ending one step behind.
            var stopping = ct.IsCancellationRequested;
            shown = await ShowLatestAsync(shown);
            if (stopping) return;
            try { await Task.Delay(_interval, _time, ct); }
            catch (OperationCanceledException) { }
        }
    }

    /// <summary>Sends or edits the status message to the latest text unless it shows it already; returns what it shows.</summary>
    private async Task<string?> ShowLatestAsync(string? shown)
    {
        string? text;
        lock (_gate) text = _latest;
        if (text is null || text == shown) return shown;
        try
        {
            if (_messageId is null) _messageId = (await _sender.SendAsync(_target with { ReplyToMessageId = null }, text, ParseMode.None, CancellationToken.None)).Id;
            else await _sender.EditAsync(_target.ChatId, _messageId.Value, text, ParseMode.None, CancellationToken.None);
            return text;
        }
        catch (Exception ex)
        {
            LogStatusFailed(_logger, ex.Message);
            return shown;
        }
    }

    /// <summary>Shows the final state and stops listening.</summary>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stop.CancelAsync();
        await _worker;
        _stop.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram progress status could not be updated: {Reason}")]
    private static partial void LogStatusFailed(ILogger logger, string reason);
}
