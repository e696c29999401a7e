using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Options;
using Moltworker.Channels.Discord.Rest;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Inbox;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// Runs a queued slash command (one at a time per user and channel, via the inbox) and edits its deferred
/// response with progress and then the result. Delivery failures are logged, not retried by re-running the command.
/// </summary>
public sealed partial class DiscordInboxHandler(
    DiscordCommandRegistry registry,
    IChatService chat,
    IEventBus bus,
    DiscordRestClient rest,
    ReplyDelivery delivery,
    InteractionAcks acks,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordInboxHandler> logger) : IInboxHandler
{
    public string Source => InteractionProcessor.InboxSource;

    public async Task HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        if (!Interaction.TryParse(item.Payload, out var interaction, out var error))
        {
            LogBadItem(item.Id, error);
            return;
        }
        await acks.WaitAsync(interaction.Id, TimeSpan.FromSeconds(options.Value.AckWaitSeconds), time, cancellationToken);

        var address = DiscordAddress.Of(interaction);
        ChatReply reply;
        await using (new ProgressReporter(bus, address, rest, interaction.Token,
                         TimeSpan.FromSeconds(options.Value.ProgressEditIntervalSeconds), time, logger))
        {
            reply = await RunAsync(interaction, item.FirstDelivery, cancellationToken);
        }
        // Stopping mid-command: leave the item pending so it runs again after the restart.
        cancellationToken.ThrowIfCancellationRequested();
        await item.Lease.EnsureHeldAsync(cancellationToken); // still this host's chat, or another host answers it

        try
        {
            await delivery.DeliverAsync(interaction.Token, reply.Text, reply.IsError, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogDeliveryFailed(ex, interaction.CommandName!, interaction.Id);
        }
    }

    private async Task<ChatReply> RunAsync(Interaction interaction, bool firstDelivery, CancellationToken cancellationToken)
    {
        var address = DiscordAddress.Of(interaction);
        if (registry.Find(interaction.CommandName!) is not { } command)
            return new ChatReply($"The command /{interaction.CommandName} is no longer available.", IsError: true);
        try
        {
            switch (command.Kind)
            {
                case SlashCommandKind.Ask:
                    var prompt = interaction.Options.FirstOrDefault(o => o.Name == "prompt")?.Value.GetString();
                    if (string.IsNullOrWhiteSpace(prompt)) return new ChatReply("Please give a prompt.", IsError: true);
                    return await chat.HandleAsync(new IncomingMessage(address, prompt) { MessageId = $"discord:{interaction.Id}", FirstDelivery = firstDelivery }, cancellationToken);
                case SlashCommandKind.Reset:
                    await chat.ResetAsync(address, cancellationToken);
                    return new ChatReply("Conversation reset. The next /ask starts afresh.");
                case SlashCommandKind.Status:
                    return await chat.RunCommandAsync("status", new Dictionary<string, object?>(), address, cancellationToken);
                default:
                    return await chat.RunCommandAsync(command.Target, ArgumentConverter.Convert(command, interaction.Options), address, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not (LeaseLostException or ChatLeaseLostException))
        {
            LogCommandFailed(ex, command.Name);
            return new ChatReply($"/{command.Name} failed ({ex.GetType().Name}). The details are in the server log.", IsError: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord inbox item {Id} is not an interaction: {Error}")]
    private partial void LogBadItem(long id, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord command /{Command} failed")]
    private partial void LogCommandFailed(Exception ex, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver the answer to /{Command} (interaction {Id})")]
    private partial void LogDeliveryFailed(Exception ex, string command, string id);
}
