using System.Globalization;
using System.Text.RegularExpressions;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

/// <summary>/compact on Telegram, over loopback: Bot API → gateway → kernel → in-test OpenAI server, and back.</summary>
public sealed partial class CompactEndToEndTests : BotAndModelServers
{
    private const long Chat = 820;
    /// <summary>The summarizing request: the compaction prompt (prompts/compaction.md or the built-in text) and the
    /// transcript as one user message.</summary>
    private static bool IsSummaryRequest(ChatRequest request) =>
        request.Messages.Count == 2 && request.Messages[0].Role == "system"
        && request.Messages[0].Content!.StartsWith("You condense", StringComparison.Ordinal);

    [Fact]
    public async Task Compact_summarizes_the_older_messages_answers_with_the_tokens_and_the_next_turn_gets_the_summary()
    {
        Model.Responder = request => IsSummaryRequest(request)
            ? ScriptedReply.Answer("SUMMARY: the user asked six numbered questions about colors.")
            : ScriptedReply.Answer($"answer to {request.LastUserText}");
        await using var host = await TelegramTestHost.StartAsync(Bot, new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = Model.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "test-model",
            ["Moltworker:Context:KeepRecent"] = "4",
        });

        // Six turns: twelve stored messages, of which the last four stay and the eight before them are summarized.
        for (var i = 1; i <= 6; i++)
        {
            Bot.EnqueueText(Chat, 50, $"question {i} about the color number {i}");
            await Bot.WaitUntilAsync(s => s.Messages(Chat).Count == i);
        }
        Assert.DoesNotContain(Model.Requests, IsSummaryRequest);

        Bot.EnqueueText(Chat, 50, "/compact");
        await Bot.WaitUntilAsync(s => s.Messages(Chat).Count == 7);
        var reply = Bot.Messages(Chat)[6].Text;
        var tokens = TokensReply().Match(reply);
        Assert.True(tokens.Success, $"unexpected /compact reply: {reply}");
        var (before, after) = (int.Parse(tokens.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(tokens.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal("8", tokens.Groups[1].Value);
        Assert.True(before > after, reply);
        // The model was asked for the summary once, with the older questions, and not for an answer to "/compact".
        var summarizing = Assert.Single(Model.Requests, IsSummaryRequest);
        Assert.Contains("question 1 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains("question 4 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("question 5 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain(Model.Requests, r => r.Messages.Any(m => m.Content?.Contains("/compact", StringComparison.Ordinal) == true));

        Bot.EnqueueText(Chat, 50, "question 7 about the color number 7");
        await Bot.WaitUntilAsync(s => s.Messages(Chat).Count == 8);
        Assert.Equal("answer to question 7 about the color number 7", Bot.Messages(Chat)[7].Text);
        var next = Model.Requests[^1].Messages;
        Assert.Contains(next, m => m.Role == "system" && m.Content!.Contains("SUMMARY: the user asked six numbered questions", StringComparison.Ordinal));
        Assert.DoesNotContain(next, m => m.Content?.StartsWith("question 1 about", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(next, m => m.Content?.StartsWith("question 4 about", StringComparison.Ordinal) == true);
        Assert.Equal(["question 5 about the color number 5", "answer to question 5 about the color number 5",
                      "question 6 about the color number 6", "answer to question 6 about the color number 6",
                      "question 7 about the color number 7"],
            next.Where(m => m.Role is "user" or "assistant").Select(m => m.Content));
    }

    [GeneratedRegex(@"^Compacted (\d+) older message\(s\) into a summary: the history went from (\d+) to (\d+) tokens")]
    private static partial Regex TokensReply();
}
