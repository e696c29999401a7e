using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Kernel.Approvals;
using Moltworker.Kernel.Events;
using Telegram.Bot;

namespace Moltworker.Channels.Telegram.Approvals;

/// <summary>
/// Telegram's side of the approval events: a request in a Telegram chat is sent there as a message with the inline
/// keyboard (<see cref="ApprovalButtons"/>), and the answer of a task resumed after one of its requests was resolved is
/// delivered to the chat (no message is waiting for it any more).
/// </summary>
public sealed partial class ApprovalPrompts(IEventBus events, ITelegramBotClient bot, ReplySender sender, ILogger<ApprovalPrompts> logger) : IHostedService
{
    private const int MaxArgumentChars = 600;
    private readonly ConcurrentDictionary<string, byte> _resolved = new(StringComparer.Ordinal);
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe(OnEvent);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private void OnEvent(KernelEvent e)
    {
        if (e.Address.Channel != TelegramIntake.Source || !long.TryParse(e.Address.ChatId, out var chatId)) return;
        switch (e)
        {
            case ApprovalRequested requested:
                _ = SendAsync(requested.ApprovalId, () => bot.SendMessage(chatId, Prompt(requested), replyMarkup: ApprovalButtons.Keyboard(requested.ApprovalId)));
                break;
            case ApprovalResolved resolved:
                _resolved[resolved.TaskId] = 0;
                break;
            case TaskAnswered answered when _resolved.TryRemove(answered.TaskId, out _):
                _ = SendAsync(answered.TaskId, () => sender.SendMarkdownAsync(new ReplyTarget(chatId), answered.Text, CancellationToken.None));
                break;
        }
    }

    private async Task SendAsync(string what, Func<Task> send)
    {
        try { await send(); }
        catch (Exception ex) { LogSendFailed(ex, what); }
    }

    private static string Prompt(ApprovalRequested r)
    {
        var arguments = r.Arguments.Length <= MaxArgumentChars ? r.Arguments : r.Arguments[..MaxArgumentChars] + "…";
        return $"Approve this call?\n{r.Tool} {arguments}" + (r.Reason is null ? "" : $"\nWhy: {r.Reason}") +
               $"\nIt expires at {r.ExpiresAt:HH:mm} UTC. The person who asked, or an admin, can answer.";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An approval message for {What} could not be sent to Telegram")]
    private partial void LogSendFailed(Exception ex, string what);
}
