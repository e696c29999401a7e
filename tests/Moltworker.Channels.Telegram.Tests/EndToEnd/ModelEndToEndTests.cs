using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

/// <summary>Telegram (in-test Bot API) → gateway → kernel → in-test OpenAI server → reply, all over loopback HTTP.</summary>
public class ModelEndToEndTests : BotAndModelServers
{
    private Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = Model.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "test-model",
        };
        foreach (var (k, v) in extra) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_message_is_answered_by_the_model_with_markdown_as_telegram_html()
    {
        Model.Enqueue(ScriptedReply.Answer("**Four**, since 2 < 3 & `x>y`"));
        await using var host = await TelegramTestHost.StartAsync(Bot, Settings());
        Bot.EnqueueText(801, 41, "What is 2+2?");
        await Bot.WaitUntilAsync(s => s.Messages(801).Count == 1);
        var reply = Bot.Messages(801)[0];
        Assert.Equal("HTML", reply.ParseMode);
        Assert.Equal("<b>Four</b>, since 2 &lt; 3 &amp; <code>x&gt;y</code>", reply.RawText);
        Assert.Contains(Model.Requests[0].Messages, m => m.Role == "user" && m.Content!.Contains("What is 2+2?"));
    }

    [Fact]
    public async Task A_long_answer_is_split_into_valid_messages_under_4096()
    {
        var paragraphs = Enumerable.Range(0, 40).Select(i => $"Paragraph {i}: " + string.Join(' ', Enumerable.Repeat("words & <signs> 😀", 20)));
        var answer = string.Join("\n\n", paragraphs) + "\n\n```csharp\n" + string.Join("\n", Enumerable.Range(0, 300).Select(i => $"var x{i} = a < b;")) + "\n```";
        Model.Enqueue(ScriptedReply.Answer(answer));
        await using var host = await TelegramTestHost.StartAsync(Bot, Settings());
        Bot.EnqueueText(802, 42, "Write a lot");
        await Bot.WaitUntilAsync(s => s.Messages(802).Count >= 4 && s.Messages(802).Any(m => m.Text.Contains("x299")));
        var messages = Bot.Messages(802);
        Assert.All(messages, m => Assert.True(m.RawText.Length <= 4096));
        Assert.All(messages, m => Assert.Equal("HTML", m.ParseMode));
        Assert.StartsWith("Paragraph 0:", messages[0].Text);
        Assert.Equal(answer.Split("😀").Length, string.Concat(messages.Select(m => m.Text)).Split("😀").Length);
    }

    [Fact]
    public async Task Several_tool_calls_show_one_progress_message_edited_as_they_finish()
    {
        var gate = EchoPlugin.Gate("progress-" + Guid.NewGuid().ToString("N"));
        var name = EchoPlugin.Gates.First(g => g.Value == gate).Key;
        Model.Enqueue(
            ScriptedReply.Calls(ScriptedToolCall.Json("echo_text", new { text = "a" }), ScriptedToolCall.Json("echo_text", new { text = "b" }), ScriptedToolCall.Json("wait_gate", new { name })),
            ScriptedReply.Answer("All three done."));
        await using var host = await TelegramTestHost.StartAsync(Bot, Settings(("Moltworker:Telegram:EditInterval", "00:00:00")));
        Bot.EnqueueText(803, 43, "Run three tools");

        await Bot.WaitUntilAsync(s => s.Messages(803).Any(m => m.Text.StartsWith("⚙️ Running 3 tools", StringComparison.Ordinal)));
        gate.SetResult();
        await Bot.WaitUntilAsync(s => s.Messages(803).Any(m => m.Text == "All three done."));
        var messages = Bot.Messages(803);
        Assert.Equal(2, messages.Count);
        Assert.Equal("✅ 3 tool calls finished", messages[0].Text);
        Assert.True(messages[0].Edits >= 1);
    }

    [Fact]
    public async Task Streaming_edits_the_reply_as_text_arrives()
    {
        var answer = string.Join(' ', Enumerable.Range(0, 60).Select(i => "word" + i));
        Model.Responder = _ => ScriptedReply.Answer(answer) with { ChunkSize = 8 };
        await using var host = await TelegramTestHost.StartAsync(Bot, Settings(
            ("Moltworker:Telegram:StreamReplies", "true"), ("Moltworker:Telegram:EditInterval", "00:00:00")));
        Bot.EnqueueText(804, 44, "Stream please");
        await Bot.WaitUntilAsync(s => s.Messages(804).Count == 1 && s.Messages(804)[0].Text == answer);
        var message = Assert.Single(Bot.Messages(804));
        Assert.True(message.Edits >= 2, $"edits: {message.Edits}");
        Assert.True(Model.Requests[0].Stream);
    }

    [Fact]
    public async Task Group_messages_are_answered_only_when_addressed_to_the_bot_and_keep_the_topic()
    {
        Model.Responder = request => ScriptedReply.Answer("re: " + request.LastUserText);
        await using var host = await TelegramTestHost.StartAsync(Bot, Settings());
        const long group = -100_805;
        Bot.EnqueueText(group, 45, "just chatting", "supergroup");
        Bot.EnqueueText(group, 45, "/echo_text@other_bot nope", "supergroup");
        Bot.EnqueueText(group, 45, $"@{Bot.BotUsername} hello bot", "supergroup", threadId: 77);
        await Bot.WaitUntilAsync(s => s.Messages(group).Count == 1);
        var first = Bot.Messages(group)[0];
        Assert.Equal("re: hello bot", first.Text);
        Assert.Equal(77, first.ThreadId);
        Assert.NotNull(first.ReplyToMessageId);

        Bot.EnqueueText(group, 45, "thanks", "supergroup", replyToMessageId: first.MessageId);
        Bot.EnqueueText(group, 45, $"/echo_text@{Bot.BotUsername} cmd", "supergroup");
        await Bot.WaitUntilAsync(s => s.Messages(group).Count == 3);
        Assert.Equal(["re: hello bot", "re: thanks", "echo: cmd"], Bot.Messages(group).Select(m => m.Text));
        Assert.Equal(2, Model.RequestCount);
    }
}
