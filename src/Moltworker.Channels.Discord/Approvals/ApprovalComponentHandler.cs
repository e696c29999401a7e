using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Discord.Interactions;
using Moltworker.Kernel.Approvals;

namespace Moltworker.Channels.Discord.Approvals;

/// <summary>
/// A press of a request's button (a MESSAGE_COMPONENT interaction, type 3), from the signed endpoint or the gateway,
/// answered at once: the answer itself is durable in the approval store and the first one wins. The kernel's
/// <see cref="ApprovalResolver"/> decides who may answer (the requester or a configured admin) and whether the request is
/// still open; this class only adds that a button works in the chat of its request. An answer taken updates the
/// request's message to show the outcome (response type 7, which also removes the buttons) and resumes the task; every
/// refusal (someone else, a second answer, a replayed interaction, an unknown request) is an ephemeral message to the
/// person who pressed, and nothing changes.
/// </summary>
public sealed partial class ApprovalComponentHandler(IServiceProvider services, ILogger<ApprovalComponentHandler> logger)
{
    public const string NotForYou = "Only the person who asked, or an admin, can answer this.";

    public async Task<InteractionOutcome> HandleAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        // Resolved when a press arrives: the approvals are part of the kernel's filters, which a host may leave out.
        var store = services.GetService<IApprovalStore>();
        var resolver = services.GetService<ApprovalResolver>();
        if (!ApprovalButtons.TryParse(interaction.CustomId, out var id, out var choice) || store is null || resolver is null)
            return Refusal("This button does nothing here.");
        if (await store.GetAsync(id, cancellationToken) is not { } stored || !IsInChatOf(stored, interaction))
        {
            LogPress(id, interaction.UserId!, "not a request of this chat");
            return Refusal("This request is not known here.");
        }

        var decider = new ApprovalDecider(DiscordAddress.Channel, interaction.UserId!);
        var decision = await resolver.DecideAsync(id, choice != ApprovalChoice.Deny, choice == ApprovalChoice.Always, decider, cancellationToken);
        LogPress(id, interaction.UserId!, decision.Answer.ToString());
        switch (decision.Answer)
        {
            case ApprovalAnswer.NotFound:
                return Refusal("This request is not known here.");
            case ApprovalAnswer.NotAllowed:
                return Refusal(NotForYou);
            case ApprovalAnswer.AlreadyAnswered:
                return Refusal($"Already answered: {ApprovalText.Outcome(decision.Request!)}.");
        }
        var request = decision.Request!;
        await services.GetRequiredService<ApprovalResumer>().StartAsync(request.TaskId, cancellationToken);
        return new InteractionOutcome(InteractionResponses.UpdateMessage($"{request.Tool}: {ApprovalText.Outcome(request)}" +
            (choice == ApprovalChoice.Always ? ", and always in this chat (/approvals reset revokes it)." : ".")));
    }

    /// <summary>The request was asked in the channel the button is in (a Discord chat id is "channel:user"), so a
    /// button copied into another chat does nothing.</summary>
    private static bool IsInChatOf(ApprovalRequest request, Interaction interaction)
    {
        if (!string.Equals(request.Address.Channel, DiscordAddress.Channel, StringComparison.OrdinalIgnoreCase)) return false;
        var chat = request.Address.ChatId;
        var separator = chat.LastIndexOf(':');
        if (separator <= 0) return false;
        var channel = chat[..separator];
        // "dm:user" is a chat whose interaction named no channel; its request was posted in the bot's DM with the user.
        return channel == "dm" ? interaction.GuildId is null : string.Equals(channel, interaction.ChannelId, StringComparison.Ordinal);
    }

    private static InteractionOutcome Refusal(string text) => new(InteractionResponses.Message(text, ephemeral: true));

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {ApprovalId}: button pressed by Discord user {UserId}: {Answer}")]
    private partial void LogPress(string approvalId, string userId, string answer);
}
