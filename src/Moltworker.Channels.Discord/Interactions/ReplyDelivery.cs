using System.Net;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Rest;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// Writes a command's result: the first 2000 characters edit the deferred response, the rest go to follow-ups.
/// A failure replaces the public "thinking…" message with an ephemeral follow-up (flag 64) only the caller sees,
/// since a deferred response's visibility cannot be changed afterwards.
/// </summary>
public sealed partial class ReplyDelivery(DiscordRestClient rest, TimeProvider time, ILogger<ReplyDelivery> logger)
{
    public async Task DeliverAsync(string token, string text, bool isError, CancellationToken cancellationToken)
    {
        var parts = MessageSplitter.Split(text);
        if (isError)
        {
            try { await rest.DeleteOriginalResponseAsync(token, cancellationToken); }
            catch (DiscordApiException ex) { LogDeleteFailed(ex); }
            foreach (var part in parts)
                await rest.CreateFollowupAsync(token, InteractionResponses.MessageBody(part, ephemeral: true), cancellationToken);
            return;
        }
        await EditFirstAsync(token, parts[0], cancellationToken);
        foreach (var part in parts.Skip(1))
            await rest.CreateFollowupAsync(token, InteractionResponses.MessageBody(part, ephemeral: false), cancellationToken);
    }

    /// <summary>Right after the deferral Discord may not know the response yet (404): try a few more times.</summary>
    private async Task EditFirstAsync(string token, string content, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await rest.EditOriginalResponseAsync(token, InteractionResponses.MessageBody(content, false), cancellationToken);
                return;
            }
            catch (DiscordApiException ex) when (ex.Status == HttpStatusCode.NotFound && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), time, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not delete the deferred Discord response")]
    private partial void LogDeleteFailed(Exception ex);
}
