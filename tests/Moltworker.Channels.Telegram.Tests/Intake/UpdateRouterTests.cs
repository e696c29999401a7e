using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Commands;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Tests.Intake;

public class UpdateRouterTests
{
    private static readonly User Me = new() { Id = 99, IsBot = true, FirstName = "Molt", Username = "molt_bot" };
    private static readonly CommandMap Commands = new([new ChatCommand("help", "Help"), new ChatCommand("Web.Fetch", "Fetch")]);

    private static Update Update(string text, ChatType type = ChatType.Private, Message? replyTo = null, int? thread = null,
        MessageEntity[]? entities = null, bool fromBot = false) => new()
    {
        Id = 1,
        Message = new Message
        {
            Id = 10,
            Chat = new Chat { Id = type == ChatType.Private ? 5 : -5, Type = type },
            From = new User { Id = 5, IsBot = fromBot, FirstName = "U" },
            Text = text,
            ReplyToMessage = replyTo,
            MessageThreadId = thread,
            IsTopicMessage = thread is not null,
            Entities = entities,
        },
    };

    [Fact]
    public void Private_text_is_answered() => Assert.Equal("hi", UpdateRouter.Route(Update(" hi "), Me, Commands)!.Text);

    [Fact]
    public void Commands_are_mapped_back_to_kernel_names_and_lose_the_bot_suffix()
    {
        Assert.Equal("/Web.Fetch https://x", UpdateRouter.Route(Update("/web_fetch@molt_bot https://x", ChatType.Group), Me, Commands)!.Text);
        Assert.Equal("/help", UpdateRouter.Route(Update("/help"), Me, Commands)!.Text);
    }

    [Fact]
    public void Group_chatter_and_other_bots_commands_are_ignored()
    {
        Assert.Null(UpdateRouter.Route(Update("hello all", ChatType.Group), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("/help@other_bot", ChatType.Supergroup), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("/unknown", ChatType.Supergroup), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("hi", fromBot: true), Me, Commands));
        Assert.Null(UpdateRouter.Route(new Update { Id = 2 }, Me, Commands));
    }

    [Fact]
    public void Group_mentions_and_replies_to_the_bot_are_answered()
    {
        var mention = UpdateRouter.Route(Update("hey @molt_bot what now", ChatType.Group, entities: [new() { Type = MessageEntityType.Mention, Offset = 4, Length = 9 }]), Me, Commands)!;
        Assert.Equal("hey  what now", mention.Text);
        Assert.True(mention.IsGroup);
        var botMessage = new Message { Id = 3, Chat = new Chat { Id = -5, Type = ChatType.Group }, From = Me };
        Assert.Equal("thanks", UpdateRouter.Route(Update("thanks", ChatType.Group, replyTo: botMessage), Me, Commands)!.Text);
        Assert.Equal("/help", UpdateRouter.Route(Update("/help", ChatType.Group), Me, Commands)!.Text);
    }

    [Fact]
    public void Topic_root_replies_do_not_count_and_the_thread_is_kept()
    {
        var topicRoot = new Message { Id = 40, Chat = new Chat { Id = -5, Type = ChatType.Supergroup }, From = Me };
        Assert.Null(UpdateRouter.Route(Update("chatter", ChatType.Supergroup, replyTo: topicRoot, thread: 40), Me, Commands));
        var routed = UpdateRouter.Route(Update("/help@molt_bot", ChatType.Supergroup, replyTo: topicRoot, thread: 40), Me, Commands)!;
        Assert.Equal(40, routed.ThreadId);
    }

    [Fact]
    public void A_migration_service_message_is_routed_as_such()
    {
        var update = new Update { Id = 3, Message = new Message { Id = 1, Chat = new Chat { Id = -5, Type = ChatType.Group }, MigrateToChatId = -1005 } };
        Assert.Equal(-1005, UpdateRouter.Route(update, Me, Commands)!.MigrateToChatId);
    }
}
