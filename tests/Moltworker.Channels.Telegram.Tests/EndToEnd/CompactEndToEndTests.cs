using System.Globalization;
using System.Text.RegularExpressions;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Testing.OpenAI;
using Moltworker.Testing.Telegram;

namespace Moltworker.Channels.Telegram.Tests.EndToEnd;

/// <summary>/compact on Telegram, over loopback: Bot API → gateway → kernel → in-test OpenAI server, and back.</summary>
public sealed partial class CompactEndToEndTests : IAsyncLifetime
{
    private const long Chat = 820;
    private TelegramBotApiServer _telegram = null!;
    private FakeOpenAIServer _model = null!;

    public async Task InitializeAsync()
    {
        _telegram = await TelegramBotApiServer.StartAsync();
        _model = await FakeOpenAIServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _telegram.DisposeAsync();
        await _model.DisposeAsync();
    }

    /// <summary>The summarizing request: the compaction prompt (prompts/compaction.md or the built-in text) and the
    /// transcript as one user message.</summary>
    private static bool IsSummaryRequest(ChatRequest request) =>
        request.Messages.Count == 2 && request.Messages[0].Role == "system"
        && request.Messages[0].Content!.StartsWith("You condense", StringComparison.Ordinal);

    [Fact]
    public async Task Compact_summarizes_the_older_messages_answers_with_the_tokens_and_the_next_turn_gets_the_summary()
    {
        _model.Responder = request => IsSummaryRequest(request)
            ? ScriptedReply.Answer("SUMMARY: the user asked six numbered questions about colors.")
            : ScriptedReply.Answer($"answer to {request.LastUserText}");
        await using var host = await TelegramTestHost.StartAsync(_telegram, new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = _model.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "test-model",
            ["Moltworker:Context:KeepRecent"] = "4",
        });

        // Six turns: twelve stored messages, of which the last four stay and the eight before them are summarized.
        for (var i = 1; i <= 6; i++)
        {
            _telegram.EnqueueText(Chat, 50, $"question {i} about the color number {i}");
            await _telegram.WaitUntilAsync(s => s.Messages(Chat).Count == i);
        }
        Assert.DoesNotContain(_model.Requests, IsSummaryRequest);

        _telegram.EnqueueText(Chat, 50, "/compact");
        await _telegram.WaitUntilAsync(s => s.Messages(Chat).Count == 7);
        var reply = _telegram.Messages(Chat)[6].Text;
        var tokens = TokensReply().Match(reply);
        Assert.True(tokens.Success, $"unexpected /compact reply: {reply}");
        var (before, after) = (int.Parse(tokens.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(tokens.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal("8", tokens.Groups[1].Value);
        Assert.True(before > after, reply);
        // The model was asked for the summary once, with the older questions, and not for an answer to "/compact".
        var summarizing = Assert.Single(_model.Requests, IsSummaryRequest);
        Assert.Contains("question 1 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains("question 4 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain("question 5 about", summarizing.Messages[1].Content, StringComparison.Ordinal);
        Assert.DoesNotContain(_model.Requests, r => r.Messages.Any(m => m.Content?.Contains("/compact", StringComparison.Ordinal) == true));

        _telegram.EnqueueText(Chat, 50, "question 7 about the color number 7");
        await _telegram.WaitUntilAsync(s => s.Messages(Chat).Count == 8);
        Assert.Equal("answer to question 7 about the color number 7", _telegram.Messages(Chat)[7].Text);
        var next = _model.Requests[^1].Messages;
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
