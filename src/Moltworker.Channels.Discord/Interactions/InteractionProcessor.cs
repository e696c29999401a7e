using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Discord.Approvals;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Options;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.RateLimiting;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Discord.Interactions;

/// <summary>
/// The one path every interaction takes, whether it came over HTTP or the gateway: PING gets PONG, autocomplete
/// gets suggestions, a button press under an approval request goes to <see cref="ApprovalComponentHandler"/> (answered at
/// once), a command is checked (access, per-user rate limit), stored durably in the inbox and answered
/// at once with a deferred response; <see cref="DiscordInboxHandler"/> runs it later and edits that response.
/// Nothing thrown here reaches the transport: a payload that is not an interaction is refused (400 over HTTP), one
/// that fails while being decided gets an ephemeral error, both logged once and counted in <see cref="RejectedIntake"/>;
/// while the database cannot store, the person is told to try again (ephemeral) and nothing is queued.
/// </summary>
public sealed partial class InteractionProcessor(
    DiscordCommandRegistry registry,
    AccessPolicy access,
    UserRateLimiter rateLimiter,
    IOptions<DiscordOptions> options,
    AutocompleteResponder autocomplete,
    ApprovalComponentHandler approvals,
    InteractionAcks acks,
    InboxDispatcher inbox,
    RejectedIntake rejected,
    ILogger<InteractionProcessor> logger)
{
    public const string InboxSource = "discord";

    public async Task<InteractionOutcome> ProcessAsync(string json, CancellationToken cancellationToken)
    {
        if (!Interaction.TryParse(json, out var interaction, out var error))
        {
            rejected.Record(InboxSource);
            LogMalformed(error);
            return InteractionOutcome.Malformed(error);
        }
        try
        {
            return await DecideAsync(interaction, json, cancellationToken);
        }
        catch (StorageException ex)
        {
            // Not taken rather than lost: the person sees it at once and can send it again when the disk has room.
            LogNotStored(interaction.Id, ex.Message);
            return new InteractionOutcome(InteractionResponses.Message(
                "The assistant cannot take new requests right now (its storage is unavailable). Please try again in a minute.", ephemeral: true));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            rejected.Record(InboxSource);
            LogFailed(interaction.Id, ex.GetType().Name, ex.Message);
            return new InteractionOutcome(InteractionResponses.Message("This request could not be handled. The details are in the server log.", ephemeral: true));
        }
    }

    private async Task<InteractionOutcome> DecideAsync(Interaction interaction, string json, CancellationToken cancellationToken)
    {
        switch (interaction.Type)
        {
            case InteractionType.Ping:
                return new InteractionOutcome(InteractionResponses.Pong());

            case InteractionType.Autocomplete:
                if (!access.IsAllowed(interaction) || registry.Find(interaction.CommandName!) is not { } ac)
                    return new InteractionOutcome(InteractionResponses.Autocomplete([]));
                return new InteractionOutcome(InteractionResponses.Autocomplete(await autocomplete.SuggestAsync(ac, interaction, cancellationToken)));

            case InteractionType.ApplicationCommand:
                return await CommandAsync(interaction, json, cancellationToken);

            case InteractionType.MessageComponent:
                return await approvals.HandleAsync(interaction, cancellationToken);

            default:
                LogUnsupported(interaction.Type);
                return new InteractionOutcome(InteractionResponses.Message("This kind of interaction is not supported.", ephemeral: true));
        }
    }

    private async Task<InteractionOutcome> CommandAsync(Interaction interaction, string json, CancellationToken cancellationToken)
    {
        if (!access.IsAllowed(interaction))
        {
            LogRefused(interaction.CommandName!, interaction.GuildId ?? "dm");
            return new InteractionOutcome(InteractionResponses.Message("You are not allowed to use this assistant here.", ephemeral: true));
        }
        if (registry.Find(interaction.CommandName!) is null)
            return new InteractionOutcome(InteractionResponses.Message(
                $"Unknown command /{interaction.CommandName}. Try /ask or /status.", ephemeral: true));
        if (!rateLimiter.TryAcquire(new RateLimitedUser(InboxSource, interaction.UserId!),
                new UserRateLimit(options.Value.UserRateLimit, TimeSpan.FromSeconds(Math.Max(1, options.Value.UserRateWindowSeconds))), out var retryAfter))
            return new InteractionOutcome(InteractionResponses.Message(
                $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds):0} s.", ephemeral: true));

        acks.Register(interaction.Id);
        bool added;
        try
        {
            added = await inbox.AcceptAsync(InboxSource, interaction.Id, DiscordAddress.OrderKey(interaction), json, cancellationToken);
        }
        catch
        {
            acks.Complete(interaction.Id);
            throw;
        }
        if (!added) LogDuplicate(interaction.Id);
        return new InteractionOutcome(InteractionResponses.Deferred()) { QueuedInteractionId = interaction.Id };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Malformed Discord interaction refused: {Error}")]
    private partial void LogMalformed(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord interaction {Id} not queued, the database cannot store: {Reason}")]
    private partial void LogNotStored(string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord interaction {Id} refused with an ephemeral error ({Type}: {Reason})")]
    private partial void LogFailed(string id, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord interaction type {Type} is not supported")]
    private partial void LogUnsupported(int type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord command /{Command} refused by access rules (guild {Guild})")]
    private partial void LogRefused(string command, string guild);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord interaction {Id} was already accepted; not queued twice")]
    private partial void LogDuplicate(string id);
}
