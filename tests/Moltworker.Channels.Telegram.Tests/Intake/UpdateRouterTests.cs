using Moltworker.Channels.Telegram.Client.Models;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Kernel.Commands;

namespace Moltworker.Channels.Telegram.Tests.Intake;

public class UpdateRouterTests
{
    private static readonly TelegramUser Me = new() { Id = 99, IsBot = true, FirstName = "Molt", Username = "molt_bot" };
    private static readonly CommandMap Commands = new([new ChatCommand("help", "Help"), new ChatCommand("Web.Fetch", "Fetch")]);

    private static TelegramUpdate Update(string text, string type = "private", TelegramMessage? replyTo = null, long? thread = null,
        IReadOnlyList<TelegramMessageEntity>? entities = null, bool fromBot = false) => new()
    {
        UpdateId = 1,
        Message = new TelegramMessage
        {
            MessageId = 10,
            Chat = new TelegramChat { Id = type == "private" ? 5 : -5, Type = type },
            From = new TelegramUser { Id = 5, IsBot = fromBot, FirstName = "U" },
            Text = text,
            ReplyToMessage = replyTo,
            MessageThreadId = thread,
            IsTopicMessage = thread is null ? null : true,
            Entities = entities,
        },
    };

    [Fact]
    public void Private_text_is_answered() => Assert.Equal("hi", UpdateRouter.Route(Update(" hi "), Me, Commands)!.Text);

    [Fact]
    public void Commands_are_mapped_back_to_kernel_names_and_lose_the_bot_suffix()
    {
        Assert.Equal("/Web.Fetch https://x", UpdateRouter.Route(Update("/web_fetch@molt_bot https://x", "group"), Me, Commands)!.Text);
        Assert.Equal("/help", UpdateRouter.Route(Update("/help"), Me, Commands)!.Text);
    }

    [Fact]
    public void Group_chatter_and_other_bots_commands_are_ignored()
    {
        Assert.Null(UpdateRouter.Route(Update("hello all", "group"), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("/help@other_bot", "supergroup"), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("/unknown", "supergroup"), Me, Commands));
        Assert.Null(UpdateRouter.Route(Update("hi", fromBot: true), Me, Commands));
        Assert.Null(UpdateRouter.Route(new TelegramUpdate { UpdateId = 2 }, Me, Commands));
    }

    [Fact]
    public void Group_mentions_and_replies_to_the_bot_are_answered()
    {
        var mention = UpdateRouter.Route(Update("hey @molt_bot what now", "group", entities: [new() { Type = "mention", Offset = 4, Length = 9 }]), Me, Commands)!;
        Assert.Equal("hey  what now", mention.Text);
        Assert.True(mention.IsGroup);
        var botMessage = new TelegramMessage { MessageId = 3, Chat = new TelegramChat { Id = -5, Type = "group" }, From = Me };
        Assert.Equal("thanks", UpdateRouter.Route(Update("thanks", "group", replyTo: botMessage), Me, Commands)!.Text);
        Assert.Equal("/help", UpdateRouter.Route(Update("/help", "group"), Me, Commands)!.Text);
    }

    [Fact]
    public void Topic_root_replies_do_not_count_and_the_thread_is_kept()
    {
        var topicRoot = new TelegramMessage { MessageId = 40, Chat = new TelegramChat { Id = -5, Type = "supergroup" }, From = Me };
        Assert.Null(UpdateRouter.Route(Update("chatter", "supergroup", replyTo: topicRoot, thread: 40), Me, Commands));
        var routed = UpdateRouter.Route(Update("/help@molt_bot", "supergroup", replyTo: topicRoot, thread: 40), Me, Commands)!;
        Assert.Equal(40, routed.ThreadId);
    }

    [Fact]
    public void A_migration_service_message_is_routed_as_such()
    {
        var update = new TelegramUpdate { UpdateId = 3, Message = new TelegramMessage { MessageId = 1, Chat = new TelegramChat { Id = -5, Type = "group" }, MigrateToChatId = -1005 } };
        Assert.Equal(-1005, UpdateRouter.Route(update, Me, Commands)!.MigrateToChatId);
    }
}
