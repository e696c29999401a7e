using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Context;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Models;
using Moltworker.Kernel.Options;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Moltworker.Kernel.Tests.Context;

public sealed class HistoryWindowTests
{
    private static readonly ModelInfo Model = new() { Id = "m", Tokenizer = TokenEncodings.O200kBase, ContextWindow = 1_000 };

    private static HistoryWindow Window(int reserve = 0) =>
        new(new TokenCounter(), new ContextBudget(MsOptions.Create(new ContextOptions { AnswerReserveTokens = reserve })), NullLogger<HistoryWindow>.Instance);

    private static TurnContext Turn(List<ChatMessage> earlier, params ChatMessage[] current)
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are helpful.") };
        history.AddRange(earlier);
        var turnStart = history.Count;
        history.AddRange(current);
        return new TurnContext { TaskId = "t", Address = ChatAddress.Local, History = history, TurnStart = turnStart, Model = Model };
    }

    private static string Words(int count, string word = "lorem") => string.Join(' ', Enumerable.Repeat(word, count));

    [Fact]
    public void Everything_goes_when_it_fits()
    {
        var turn = Turn([new(ChatRole.User, "hi"), new(ChatRole.Assistant, "hello")], new ChatMessage(ChatRole.User, "how are you?"));

        var request = Window().Fit(turn, null);

        Assert.Equal(turn.History, request.Messages);
        Assert.Equal(0, request.Dropped);
        Assert.Equal(new TokenCounter().CountRequest(Model, turn.History), request.Tokens);
        Assert.Equal(request.Tokens, request.FullTokens);
    }

    [Fact]
    public void The_note_on_what_was_left_out_counts_and_may_push_out_one_more_piece()
    {
        // Sized so that the newest two answers fit exactly without the note: with it, the older (longer) one goes too.
        var counter = new TokenCounter();
        var system = new ChatMessage(ChatRole.System, "You are helpful.");
        var now = new ChatMessage(ChatRole.User, "now");
        var a1 = new ChatMessage(ChatRole.Assistant, "a1 " + Words(40));
        var a2 = new ChatMessage(ChatRole.Assistant, "a2");
        var exact = counter.CountRequest(Model, [system, a1, a2, now]);
        var turn = Turn([new(ChatRole.User, Words(300)), a1, a2], now);
        turn.Model = Model with { ContextWindow = exact };

        var request = Window().Fit(turn, null);

        Assert.True(request.Tokens <= request.Budget);
        Assert.Equal(["You are helpful.", DroppedNote.For(2).Text, "a2", "now"], request.Messages.Select(m => m.Text));
        Assert.Equal(2, request.Dropped);
        Assert.Equal(counter.CountRequest(Model, request.Messages), request.Tokens);
        Assert.Equal(counter.CountRequest(Model, turn.History), request.FullTokens);
    }

    [Fact]
    public void The_oldest_messages_are_left_out_first_and_the_system_prompt_and_current_turn_stay()
    {
        var earlier = new List<ChatMessage>();
        for (var i = 0; i < 10; i++)
        {
            earlier.Add(new(ChatRole.User, $"question {i} " + Words(80)));
            earlier.Add(new(ChatRole.Assistant, $"answer {i} " + Words(80)));
        }
        var turn = Turn(earlier, new ChatMessage(ChatRole.User, "the question now"));

        var request = Window().Fit(turn, null);

        Assert.InRange(request.Tokens, 1, 1_000);
        Assert.True(request.Dropped > 0);
        Assert.Equal("You are helpful.", request.Messages[0].Text);
        Assert.Equal("the question now", request.Messages[^1].Text);
        Assert.Equal(DroppedNote.For(request.Dropped).Text, request.Messages[1].Text); // the model hears what was left out
        Assert.Equal(turn.History.TakeLast(request.Messages.Count - 2), request.Messages.Skip(2)); // the newest, contiguous
        Assert.Equal(1 + 20 + 1, turn.History.Count); // the turn's own history is untouched
        Assert.Equal(new TokenCounter().CountRequest(Model, request.Messages), request.Tokens);
    }

    [Fact]
    public void The_reserve_for_the_answer_comes_off_the_window_but_never_more_than_half()
    {
        var budget = new ContextBudget(MsOptions.Create(new ContextOptions { AnswerReserveTokens = 300, DefaultContextWindow = 500 }));

        Assert.Equal(700, budget.RequestBudget(Model));
        Assert.Equal(250, budget.RequestBudget(ModelInfo.Unknown("x"))); // 500-token default window, reserve capped at 250
    }

    [Fact]
    public void A_tool_call_and_its_results_are_kept_or_left_out_together()
    {
        var earlier = new List<ChatMessage>
        {
            new(ChatRole.User, "old question"),
            new(ChatRole.Assistant, [new FunctionCallContent("a", "lookup"), new FunctionCallContent("b", "lookup")]),
            new(ChatRole.Tool, [new FunctionResultContent("a", Words(600, "alpha"))]),
            new(ChatRole.Tool, [new FunctionResultContent("b", Words(600, "beta"))]),
            new(ChatRole.Assistant, "old answer"),
        };
        var turn = Turn(earlier, new ChatMessage(ChatRole.User, "new question"));

        var request = Window().Fit(turn, null);

        // The call with its two long results does not fit: neither it nor its results go, and nothing older either.
        Assert.Equal(["You are helpful.", DroppedNote.For(4).Text, "old answer", "new question"], request.Messages.Select(m => m.Text));
        Assert.Equal(4, request.Dropped);
    }

    [Fact]
    public void An_orphaned_tool_result_or_an_unanswered_call_never_goes()
    {
        var earlier = new List<ChatMessage>
        {
            new(ChatRole.Tool, [new FunctionResultContent("x", "orphan")]),
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, [new FunctionCallContent("y", "lookup")]), // its result was never kept
            new(ChatRole.User, "q2"),
            new(ChatRole.Assistant, "a2"),
        };
        var turn = Turn(earlier, new ChatMessage(ChatRole.User, "q3"));

        var request = Window().Fit(turn, null);

        Assert.Equal(["You are helpful.", DroppedNote.For(3).Text, "q2", "a2", "q3"], request.Messages.Select(m => m.Text));
        Assert.DoesNotContain(request.Messages, m => m.Role == ChatRole.Tool);
    }

    [Fact]
    public void The_current_turn_is_sent_whole_even_over_the_budget()
    {
        var turn = Turn([new(ChatRole.User, "earlier")],
            new ChatMessage(ChatRole.User, "go"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "big")]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c", Words(2_000))]));

        var request = Window().Fit(turn, null);

        Assert.Equal(5, request.Messages.Count); // with the note that one earlier message was left out
        Assert.Equal(1, request.Dropped);
        Assert.True(request.Tokens > request.Budget);
    }

    [Fact]
    public void Later_calls_of_a_turn_count_the_grown_turn_and_a_changed_model_recounts()
    {
        var earlier = Enumerable.Range(0, 12).Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"m{i} " + Words(60))).ToList();
        var turn = Turn(earlier, new ChatMessage(ChatRole.User, "go"));
        var window = Window();
        var counter = new TokenCounter();
        var first = window.Fit(turn, null);

        turn.History.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "lookup")]));
        turn.History.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c", Words(200, "result"))]));
        var second = window.Fit(turn, null);

        Assert.True(second.Dropped > first.Dropped);
        Assert.Equal(counter.CountRequest(Model, second.Messages), second.Tokens);
        Assert.Equal(turn.History[^1], second.Messages[^1]);

        turn.Model = new ModelInfo { Id = "other", ContextWindow = 1_000 }; // the estimate
        var third = window.Fit(turn, null);
        Assert.Equal(counter.CountRequest(turn.Model, third.Messages), third.Tokens);
        Assert.True(third.IsEstimate);
    }
}
