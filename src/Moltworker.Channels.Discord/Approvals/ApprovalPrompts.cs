using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Events;

namespace Moltworker.Channels.Discord.Approvals;

/// <summary>
/// Discord's side of the approval events: a request in a Discord chat is posted in that chat's channel (with the bot
/// token) as a message with the buttons of <see cref="ApprovalButtons"/>, and the answer of a task resumed after one of
/// its requests was resolved is posted there too (the interaction that started the task has long been answered).
/// </summary>
public sealed partial class ApprovalPrompts(IEventBus events, DiscordRestClient rest, DiscordChatDelivery delivery, ILogger<ApprovalPrompts> logger)
    : IHostedService
{
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
        if (!string.Equals(e.Address.Channel, DiscordAddress.Channel, StringComparison.OrdinalIgnoreCase)) return;
        switch (e)
        {
            case ApprovalRequested requested:
                _ = SendAsync(requested.ApprovalId, async () =>
                {
                    var channel = await delivery.ChannelOfAsync(requested.Address, CancellationToken.None);
                    var message = InteractionResponses.MessageBody(
                        ApprovalText.Prompt(requested.Tool, requested.Arguments, requested.Reason, requested.ExpiresAt), ephemeral: false);
                    message["components"] = ApprovalButtons.Components(requested.ApprovalId);
                    await rest.CreateMessageAsync(channel, message, CancellationToken.None);
                });
                break;
            case ApprovalResolved resolved:
                _resolved[resolved.TaskId] = 0;
                break;
            case TaskAnswered answered when _resolved.TryRemove(answered.TaskId, out _):
                _ = SendAsync(answered.TaskId, () => delivery.DeliverAsync(answered.Address, answered.Text, CancellationToken.None));
                break;
        }
    }

    private async Task SendAsync(string what, Func<Task> send)
    {
        try { await send(); }
        catch (Exception ex) { LogSendFailed(ex, what); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An approval message for {What} could not be sent to Discord")]
    private partial void LogSendFailed(Exception ex, string what);
}
