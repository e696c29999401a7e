using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.Approvals;

/// <summary>Issue 14 over the in-test Bot API: a call needing approval sends an inline keyboard; a press by another
/// user is refused and nothing runs; the requester's Approve runs it once, edits the message and delivers the answer;
/// the same callback replayed changes nothing; "Always in this chat" lets the tool run without asking until
/// <c>/approvals reset</c>.</summary>
public sealed partial class TelegramApprovalTests : BotAndModelServers
{
    private const long Requester = 41;
    [GeneratedRegex("apv:([0-9a-f]+):y")]
    private static partial Regex ApproveData();

    private Task<TelegramTestHost> StartAsync() => TelegramTestHost.StartAsync(Bot, new Dictionary<string, string?>
    {
        ["Moltworker:Llm:BaseUrl"] = Model.BaseUrl,
        ["Moltworker:Llm:ApiKey"] = "test-key",
        ["Moltworker:Llm:Model"] = "test-model",
        ["Moltworker:Approvals:SweepInterval"] = "00:00:00",
    }, configure: s => s.AddPlugin<NotesPlugin>(), withFilters: true);

    private static ScriptedReply Note(string note) => ScriptedReply.Calls(ScriptedToolCall.Json("send_note", new { note }, "n-" + note));

    private async Task<BotMessage> KeyboardAsync(long chat, int count = 1)
    {
        await Bot.WaitUntilAsync(s => s.Messages(chat).Count(m => m.ReplyMarkup is not null || m.Edits > 0) >= count);
        return Bot.Messages(chat).Where(m => m.ReplyMarkup is not null || m.Edits > 0).ElementAt(count - 1);
    }

    [Fact]
    public async Task Only_the_requesters_approve_runs_the_call_once_and_a_replayed_press_changes_nothing()
    {
        const long chat = 901;
        Model.Enqueue(Note("tg-once") with { Text = "I will send it." }, ScriptedReply.Answer("Sent the note."));
        await using var host = await StartAsync();
        Bot.EnqueueText(chat, Requester, "send the note");

        var keyboard = await KeyboardAsync(chat);
        Assert.Contains("send_note", keyboard.Text, StringComparison.Ordinal);
        Assert.Contains("I will send it.", keyboard.Text, StringComparison.Ordinal);
        foreach (var label in new[] { "\"Approve\"", "\"Deny\"", "\"Always in this chat\"" }) Assert.Contains(label, keyboard.ReplyMarkup, StringComparison.Ordinal);
        var id = ApproveData().Match(keyboard.ReplyMarkup!).Groups[1].Value;
        await Bot.WaitUntilAsync(s => s.Messages(chat).Any(m => m.Text.Contains("approval", StringComparison.Ordinal) && m.ReplyMarkup is null));

        Bot.EnqueueUpdate(Bot.CallbackUpdate(chat, 99, keyboard.MessageId, $"apv:{id}:y"));
        await Bot.WaitUntilAsync(s => s.CallbackAnswers.Count == 1);
        Assert.Contains("Only the person who asked", Bot.CallbackAnswers[0].Text, StringComparison.Ordinal);
        Assert.False(NotesPlugin.Runs.ContainsKey("tg-once"));
        Assert.Equal(1, Model.RequestCount);

        var press = Bot.CallbackUpdate(chat, Requester, keyboard.MessageId, $"apv:{id}:y");
        Bot.EnqueueUpdate((System.Text.Json.Nodes.JsonObject)press.DeepClone());
        await Bot.WaitUntilAsync(s => s.Messages(chat).Any(m => m.Text == "Sent the note."));
        Assert.Equal(1, NotesPlugin.Runs["tg-once"]);
        Assert.Equal("Approved.", Bot.CallbackAnswers[1].Text);
        var edited = Bot.Messages(chat).Single(m => m.MessageId == keyboard.MessageId);
        Assert.Equal($"send_note: approved by telegram:{Requester}.", edited.Text);
        Assert.Null(edited.ReplyMarkup);

        Bot.EnqueueUpdate(press); // the same press again, under a new update id (polling drops a repeated id by its offset)
        await Bot.WaitUntilAsync(s => s.CallbackAnswers.Count == 3);
        Assert.StartsWith("Already answered: approved by telegram:41", Bot.CallbackAnswers[2].Text, StringComparison.Ordinal);
        Assert.Equal(1, NotesPlugin.Runs["tg-once"]);
        Assert.Equal(2, Model.RequestCount);
        Assert.Equal(1, Bot.Messages(chat).Single(m => m.MessageId == keyboard.MessageId).Edits);
    }

    [Fact]
    public async Task Always_in_this_chat_lets_the_tool_run_without_asking_until_approvals_reset()
    {
        const long chat = 902;
        Model.Enqueue(Note("tg-always-1"), ScriptedReply.Answer("First sent."), Note("tg-always-2"), ScriptedReply.Answer("Second sent."),
            Note("tg-always-3"), ScriptedReply.Answer("unused"));
        await using var host = await StartAsync();
        Bot.EnqueueText(chat, Requester, "send one");
        var keyboard = await KeyboardAsync(chat);
        var id = ApproveData().Match(keyboard.ReplyMarkup!).Groups[1].Value;
        Bot.EnqueueUpdate(Bot.CallbackUpdate(chat, Requester, keyboard.MessageId, $"apv:{id}:a"));
        await Bot.WaitUntilAsync(s => s.Messages(chat).Any(m => m.Text == "First sent."));
        Assert.Contains("always in this chat", Bot.Messages(chat).Single(m => m.MessageId == keyboard.MessageId).Text, StringComparison.Ordinal);

        Bot.EnqueueText(chat, Requester, "send another");
        await Bot.WaitUntilAsync(s => s.Messages(chat).Any(m => m.Text == "Second sent."));
        Assert.Equal(1, NotesPlugin.Runs["tg-always-2"]);

        Bot.EnqueueText(chat, Requester, "/approvals reset");
        await Bot.WaitUntilAsync(s => s.Messages(chat).Any(m => m.Text.Contains("will ask again", StringComparison.Ordinal)));
        Bot.EnqueueText(chat, Requester, "and a third");
        await KeyboardAsync(chat, count: 2);
        Assert.False(NotesPlugin.Runs.ContainsKey("tg-always-3"));
    }
}
