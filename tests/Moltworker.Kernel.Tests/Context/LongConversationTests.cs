using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;
using static Moltworker.Kernel.Tests.Fakes.ScriptedChatClient;

namespace Moltworker.Kernel.Tests.Context;

/// <summary>A long conversation through the real kernel and storage against a scripted model with a tiny context window:
/// what the model receives is checked on every request.</summary>
public sealed class LongConversationTests
{
    private static readonly ChatAddress Chat = new("test", "long", "u1");

    private static string Words(int count, int seed) => string.Join(' ', Enumerable.Range(0, count).Select(i => $"w{(i * 7919 + seed) % 1000}"));

    [Theory]
    [InlineData("o200k_base", false)]
    [InlineData("estimate", false)]
    [InlineData("o200k_base", true)]
    [InlineData("estimate", true)]
    public async Task Three_hundred_turns_with_long_tool_results_never_go_over_the_window_nor_orphan_a_tool_message(string tokenizer, bool compaction)
    {
        const int window = 4_000, reserve = 500, turns = 300;
        var catalog = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(catalog, $$"""{ "test-model": { "contextWindow": {{window}}, "tokenizer": "{{tokenizer}}" } }""");
        var turn = 0;
        var model = new ScriptedChatClient
        {
            // A user message gets two tool calls (a long echo and a long "big" result); the results get the answer. A
            // summarizing request gets a summary of 120 words.
            Default = request => CompactionTests.IsSummaryRequest(request) ? Text($"summary at turn {turn}: {Words(120, turn)}")
                : request[^1].Role == ChatRole.User
                ? Calls(Call($"e{turn}", "echo", new { text = Words(150, turn) }), Call($"b{turn}", "big"))
                : Text($"answer {turn}: {Words(60, turn + 1)}"),
        };
        try
        {
            await using var kernel = TestKernel.Create(model, [typeof(EchoPlugin)], new Dictionary<string, string?>
            {
                ["Moltworker:Llm:CatalogPath"] = catalog,
                ["Moltworker:Context:AnswerReserveTokens"] = reserve.ToString(),
                ["Moltworker:Agent:MaxResultChars"] = "2000",
                ["Moltworker:Context:CompactAt"] = compaction ? "0.75" : "0",
            });
            var chat = kernel.Get<IChatService>();
            var info = kernel.Get<ModelAccess>().Model;
            Assert.Equal((window, tokenizer == "estimate" ? null : tokenizer), (info.ContextWindow, info.Tokenizer));

            for (turn = 1; turn <= turns; turn++)
            {
                var reply = await chat.HandleAsync(new IncomingMessage(Chat, $"question {turn}: {Words(40, turn)}"), default);
                Assert.False(reply.IsError, reply.Text);
            }

            var counter = kernel.Get<TokenCounter>();
            var summaries = model.Requests.Count(CompactionTests.IsSummaryRequest);
            Assert.Equal(2 * turns, model.Requests.Count - summaries);
            // With compaction the turns compact (at most once each); without it the model is never asked to summarize.
            if (compaction) Assert.InRange(summaries, turns / 10, turns); else Assert.Equal(0, summaries);
            for (var i = 0; i < model.Requests.Count; i++)
            {
                var request = model.Requests[i];
                var tokens = counter.CountRequest(info, request, model.Options[i]);
                Assert.True(tokens <= window - reserve, $"request {i} takes {tokens} tokens, over {window - reserve}");
                AssertEveryToolMessageHasItsCall(request, i);
            }
            // Earlier turns still go when they fit: the last turn sees the answer before it, but not the first turns.
            var last = model.Requests.Where(r => !CompactionTests.IsSummaryRequest(r)).ToList()[^2];
            Assert.Contains(last, m => m.Text.StartsWith($"answer {turns - 1}:", StringComparison.Ordinal));
            Assert.DoesNotContain(last, m => m.Text.StartsWith("question 1:", StringComparison.Ordinal));
            Assert.Equal($"question {turns}: {Words(40, turns)}", last[^1].Text);
            Assert.Equal(ChatRole.System, last[0].Role);
            // With compaction the older turns are there as a summary, and what the summaries replaced is stored.
            Assert.Equal(compaction, last.Any(SummaryMessage.Is));
            var stored = await kernel.Get<Moltworker.Kernel.State.IConversationStore>().LoadHistoryAsync(Chat.ConversationKey, 40, default);
            Assert.Equal(compaction, stored.Summary is not null);
            AssertEveryToolMessageHasItsCall(stored.Messages.Select(m => m.Message).ToList(), -1);
        }
        finally { File.Delete(catalog); }
    }

    [Fact]
    public async Task History_messages_stays_an_upper_bound_when_everything_would_fit_and_compaction_is_not_due()
    {
        var model = new ScriptedChatClient();
        await using var kernel = TestKernel.Create(model, settings: new Dictionary<string, string?>
        {
            ["Moltworker:Agent:HistoryMessages"] = "4",
            ["Moltworker:Context:DefaultContextWindow"] = "1000000",
        });
        var chat = kernel.Get<IChatService>();

        for (var i = 0; i < 5; i++) await chat.HandleAsync(new IncomingMessage(Chat, $"q{i}"), default);

        Assert.Equal(["q2", "done", "q3", "done", "q4"], model.Requests[^1].Skip(1).Select(m => m.Text));
    }

    /// <summary>Every tool result answers a call of the assistant message before it, and every call is answered before
    /// the next message that is not a tool result.</summary>
    internal static void AssertEveryToolMessageHasItsCall(IReadOnlyList<ChatMessage> request, int index)
    {
        var pending = new HashSet<string>();
        foreach (var message in request)
        {
            if (message.Role == ChatRole.Tool)
            {
                foreach (var result in message.Contents.OfType<FunctionResultContent>())
                    Assert.True(pending.Remove(result.CallId), $"request {index}: tool result {result.CallId} without its call");
                continue;
            }
            Assert.True(pending.Count == 0, $"request {index}: call(s) {string.Join(", ", pending)} without a result");
            foreach (var call in message.Contents.OfType<FunctionCallContent>()) pending.Add(call.CallId);
        }
        Assert.True(pending.Count == 0, $"request {index}: call(s) {string.Join(", ", pending)} without a result at the end");
    }
}
