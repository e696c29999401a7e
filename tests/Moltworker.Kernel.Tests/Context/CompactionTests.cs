using System.Text.Json;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tests.Fakes;
using Moltworker.Testing.Kernel;
using static Moltworker.Kernel.Tests.Fakes.ScriptedChatClient;

namespace Moltworker.Kernel.Tests.Context;

/// <summary>Compaction through the real kernel and SQLite storage against a scripted model: a 3,000-token window with
/// 500 reserved, compaction at half the window (1,500 tokens), the last 2 messages kept.</summary>
public sealed class CompactionTests : IDisposable
{
    private const int Window = 3_000, Reserve = 500, Target = 1_500;
    private static readonly ChatAddress Chat = new("test", "compact", "u1");
    private readonly string _catalog = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.json");

    public CompactionTests() =>
        File.WriteAllText(_catalog, $$"""{ "test-model": { "contextWindow": {{Window}}, "tokenizer": "o200k_base" } }""");

    public void Dispose() => File.Delete(_catalog);

    /// <summary>A request of the compactor (its prompt, built in or <c>prompts/compaction.md</c>, begins so).</summary>
    internal static bool IsSummaryRequest(IReadOnlyList<ChatMessage> request) =>
        request.Count == 2 && request[0].Role == ChatRole.System && request[0].Text.StartsWith("You condense", StringComparison.Ordinal);

    private static string Words(int count, int seed) => string.Join(' ', Enumerable.Range(0, count).Select(i => $"w{(i * 7919 + seed) % 1000}"));

    private TestKernel Kernel(ScriptedChatClient model, string compactAt = "0.5") => TestKernel.Create(model, [typeof(EchoPlugin)], new Dictionary<string, string?>
    {
        ["Moltworker:Llm:CatalogPath"] = _catalog,
        ["Moltworker:Context:AnswerReserveTokens"] = Reserve.ToString(),
        ["Moltworker:Context:CompactAt"] = compactAt,
        ["Moltworker:Context:KeepRecent"] = "2",
    });

    /// <summary>Answers each question with about 200 tokens; a summarizing request with <paramref name="summary"/>.</summary>
    private static ScriptedChatClient Model(Func<IReadOnlyList<ChatMessage>, ChatResponse> summary) => new()
    {
        Default = request => IsSummaryRequest(request) ? summary(request) : Text($"answer: {Words(100, request.Count)}"),
    };

    private static async Task<List<KernelEvent>> AskAsync(TestKernel kernel, int turns, int from = 0, int words = 20)
    {
        var events = new List<KernelEvent>();
        using var _ = kernel.Get<IEventBus>().Subscribe(e => { lock (events) events.Add(e); });
        for (var i = from; i < from + turns; i++)
        {
            var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, $"question {i}: {Words(words, i)}"), default);
            Assert.False(reply.IsError, reply.Text);
        }
        return events;
    }

    [Fact]
    public async Task Over_the_threshold_the_older_messages_are_summarized_and_later_turns_read_the_summary_and_what_follows()
    {
        var model = Model(_ => Text("SUMMARY: the user asked numbered questions."));
        await using var kernel = Kernel(model);

        var events = await AskAsync(kernel, 8);

        var compacted = events.OfType<ContextCompacted>().ToList();
        Assert.NotEmpty(compacted);
        Assert.All(compacted, c => Assert.True(c.TokensBefore > Target && c.TokensAfter <= Target, $"{c.TokensBefore} -> {c.TokensAfter}"));
        Assert.All(compacted, c => Assert.False(c.Truncated));
        var summarizing = model.Requests.First(IsSummaryRequest);
        Assert.Contains("question 0:", summarizing[1].Text);   // the oldest messages go to the summarizer
        var last = model.Requests[^1];
        Assert.Single(last, SummaryMessage.Is);
        Assert.Contains("SUMMARY: the user asked numbered questions.", last.Single(SummaryMessage.Is).Text);
        Assert.DoesNotContain(last, m => m.Text.StartsWith("question 0:", StringComparison.Ordinal));
        Assert.Equal("question 7", last[^1].Text.Split(':')[0]);
        // The store reads the summary and the messages after its range, the kept ones included.
        var stored = await kernel.Get<IConversationStore>().LoadHistoryAsync(Chat.ConversationKey, 40, default);
        Assert.NotNull(stored.Summary);
        Assert.All(stored.Messages, m => Assert.True(m.Id > stored.Summary.ThroughId));
        Assert.True(stored.Messages.Count >= 2);
        Assert.Equal(16, (await kernel.Get<IConversationStore>().LoadAsync(Chat.ConversationKey, 100, default)).Count); // nothing deleted
    }

    [Fact]
    public async Task A_summary_longer_than_its_input_is_cut_compaction_does_not_repeat_in_the_turn_and_the_turn_answers()
    {
        // The "summary" is far longer than everything it summarizes. Four short turns stay under the target; the fifth
        // question is long, so its first model call is over it, and after a tool call its second call is over it too.
        var model = Model(_ => Text("START " + Words(4_000, 1) + " END"));
        var tool = false;
        var inner = model.Default;
        model.Default = request => IsSummaryRequest(request) || !tool || request[^1].Role == ChatRole.Tool ? inner(request)
            : Calls(Call("c1", "echo", new { text = Words(150, 3) }));
        await using var kernel = Kernel(model);
        await AskAsync(kernel, 4);
        Assert.DoesNotContain(model.Requests, IsSummaryRequest);
        var before = model.Requests.Count;
        tool = true;

        var events = await AskAsync(kernel, 1, from: 4, words: 250);

        var turnRequests = model.Requests.Skip(before).ToList();
        Assert.Single(turnRequests, IsSummaryRequest);                    // once, although the second call is over the target too
        Assert.Equal(2, turnRequests.Count(r => !IsSummaryRequest(r)));   // the tool call and the answer
        var compacted = Assert.Single(events.OfType<ContextCompacted>());
        Assert.True(compacted.Truncated);
        Assert.True(compacted.TokensAfter <= Target, $"{compacted.TokensAfter}");
        var summary = turnRequests.Last().Single(SummaryMessage.Is).Text;
        Assert.Contains("[The older part of this summary was cut to fit the context window.]", summary);
        Assert.EndsWith(" END", summary);                                 // the older part went, the newer stays
        Assert.DoesNotContain("START", summary);
        var counter = kernel.Get<TokenCounter>();
        var info = kernel.Get<Moltworker.Kernel.Models.ModelAccess>().Model;
        Assert.All(turnRequests, r => Assert.True(counter.CountRequest(info, r) <= Window - Reserve));
        Assert.True(counter.CountRequest(info, turnRequests[^1], model.Options[^1]) > Target); // over the target, not compacted again
    }

    [Fact]
    public async Task When_the_summarizing_call_fails_nothing_is_compacted_and_the_turn_answers_with_a_note_on_what_was_left_out()
    {
        var model = Model(_ => throw new HttpRequestException("the model is down"));
        await using var kernel = Kernel(model, compactAt: "0.2");

        var events = await AskAsync(kernel, 12);

        Assert.Empty(events.OfType<ContextCompacted>());
        Assert.Null((await kernel.Get<IConversationStore>().LoadHistoryAsync(Chat.ConversationKey, 40, default)).Summary);
        var asked = model.Requests.Where(r => !IsSummaryRequest(r)).ToList();
        Assert.Equal(12, asked.Count);
        Assert.Contains(asked[^1], m => m.Role == ChatRole.System && m.Text.StartsWith("Note: ", StringComparison.Ordinal)
                                        && m.Text.Contains("earlier message(s) of this conversation were left out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compact_forces_a_compaction_and_its_event_carries_the_tokens_before_and_after()
    {
        var model = Model(_ => Text("SUMMARY of the first questions"));
        await using var kernel = Kernel(model, compactAt: "0");  // compaction off: only the command compacts
        await AskAsync(kernel, 3);
        Assert.DoesNotContain(model.Requests, IsSummaryRequest);
        var events = new List<KernelEvent>();
        using var subscription = kernel.Get<IEventBus>().Subscribe(e => { lock (events) events.Add(e); });

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "/compact"), default);

        Assert.False(reply.IsError, reply.Text);
        var compacted = Assert.Single(events.OfType<ContextCompacted>());
        Assert.Equal(4, compacted.Messages);   // 6 messages, the last 2 kept
        Assert.True(compacted.TokensAfter < compacted.TokensBefore, $"{compacted.TokensBefore} -> {compacted.TokensAfter}");
        Assert.Equal($"Compacted 4 older message(s) into a summary: the history went from {compacted.TokensBefore} to {compacted.TokensAfter} tokens.", reply.Text);
        var wire = EventWire.Describe(compacted)!.Value;
        Assert.Equal(EventNames.ContextCompacted, wire.Name);
        using var data = JsonDocument.Parse(wire.Data);
        Assert.Equal(compacted.TokensBefore, data.RootElement.GetProperty("tokens_before").GetInt32());
        Assert.Equal(compacted.TokensAfter, data.RootElement.GetProperty("tokens_after").GetInt32());
        Assert.Equal(4, data.RootElement.GetProperty("messages").GetInt32());

        await AskAsync(kernel, 1, from: 3);
        var next = model.Requests[^1];
        Assert.Equal(["SUMMARY of the first questions", "question 2", "answer", "question 3"],
            next.Skip(1).Select(m => SummaryMessage.Is(m) ? m.Text.Split("\n\n")[1] : m.Text.Split(':')[0]));
    }

    [Fact]
    public async Task Compact_says_when_there_is_nothing_older_than_the_kept_messages()
    {
        var model = Model(_ => Text("unused"));
        await using var kernel = Kernel(model);
        await AskAsync(kernel, 1);

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "/compact"), default);

        Assert.StartsWith("Nothing to compact: the last 2 messages always stay", reply.Text);
        Assert.DoesNotContain(model.Requests, IsSummaryRequest);
    }

    [Fact]
    public async Task Compact_without_a_model_compacts_nothing_and_says_why()
    {
        await using var kernel = TestKernel.Create();

        var reply = await kernel.Get<IChatService>().HandleAsync(new IncomingMessage(Chat, "/compact"), default);

        Assert.True(reply.IsError);
        Assert.StartsWith("Nothing was compacted: summaries need a model.", reply.Text);
    }
}
