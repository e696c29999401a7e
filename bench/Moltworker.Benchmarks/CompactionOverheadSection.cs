using System.Diagnostics;
using Microsoft.Extensions.AI;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.State;
using Moltworker.Testing.Kernel;

namespace Moltworker.Benchmarks;

/// <summary>
/// The <c>context</c> bench's compaction section: does compaction cost anything on a turn that does not compact? Two
/// kernels (<see cref="TestKernel"/>: the real turn path, SQLite storage), one with <c>Moltworker:Context:CompactAt</c> 0
/// (compaction off) and one with the default 0.75 (on, never due), each holding a conversation of
/// <see cref="StoredMessages"/> messages (about 400 characters a question and 1,400 an answer, from the docs) that
/// every turn loads (<c>HistoryMessages</c> = 30); the model is gpt-4o from the catalog (o200k_base, 128k window, so a
/// request of about 8k tokens is far under the threshold) answered by an in-process client at once. A third kernel with
/// compaction off is the control. Turns alternate in blocks between the three, after a warm-up on each.
/// </summary>
public static class CompactionOverheadSection
{
    public const int StoredMessages = 30;

    /// <summary>p50 and p99 of each side; the control is a second kernel with compaction off, run the same way, so that
    /// the difference between the two "off" kernels shows what a difference between two kernels is without any cause.</summary>
    public sealed record Result(double OffP50, double OffP99, double OnP50, double OnP99, double ControlP50, double ControlP99, int TurnsPerSide);

    /// <param name="compactAt">The "on" kernel's <c>CompactAt</c> (0.75, the default; 0 makes all three alike, to check
    /// that the second kernel is not slower for any other reason).</param>
    public static Result Run(string text, int turnsPerSide, string compactAt = "0.75", int block = 100) =>
        RunAsync(text, turnsPerSide, compactAt, block).GetAwaiter().GetResult();

    private static async Task<Result> RunAsync(string text, int turnsPerSide, string compactAt, int block)
    {
        await using var off = new Side(text, "0");
        await using var on = new Side(text, compactAt);
        await using var control = new Side(text, "0");
        Side[] sides = [off, on, control];
        for (var i = 0; i < StoredMessages / 2 + 300; i++)
            foreach (var side in sides)
                await side.TurnAsync(measure: false);
        // Rounds of one block a side, the order rotating, so that drift and garbage collections fall on every side.
        for (var round = 0; round < turnsPerSide / block; round++)
            for (var k = 0; k < sides.Length; k++)
                for (var i = 0; i < block; i++)
                    await sides[(round + k) % sides.Length].TurnAsync(measure: true);

        foreach (var side in sides) await side.CheckAsync();
        return new Result(off.Percentile(0.50), off.Percentile(0.99), on.Percentile(0.50), on.Percentile(0.99),
            control.Percentile(0.50), control.Percentile(0.99), off.Times.Count);
    }

    private sealed class Side : IAsyncDisposable
    {
        private static readonly ChatAddress Chat = new("bench", "compaction", "u1");
        private readonly string _text;
        private readonly AnswerModel _model;
        private readonly TestKernel _kernel;
        private readonly IChatService _chat;
        private int _turns;

        public Side(string text, string compactAt)
        {
            _text = text;
            _model = new AnswerModel(text);
            _kernel = TestKernel.Create(_model, settings: new Dictionary<string, string?>
            {
                ["Moltworker:Llm:Model"] = "gpt-4o",
                ["Moltworker:Agent:HistoryMessages"] = StoredMessages.ToString(),
                ["Moltworker:Context:CompactAt"] = compactAt,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            _chat = _kernel.Get<IChatService>();
        }

        public List<double> Times { get; } = [];

        public async Task TurnAsync(bool measure)
        {
            // "Q: " first, so that no stretch of the docs starting with "/" is taken for a command.
            var question = "Q: " + _text.Substring(_turns++ * 7_919 % (_text.Length - 500), 400);
            var start = Stopwatch.GetTimestamp();
            var reply = await _chat.HandleAsync(new IncomingMessage(Chat, question), CancellationToken.None);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (reply.IsError) throw new InvalidOperationException($"the turn failed: {reply.Text}");
            if (measure) Times.Add(ms);
        }

        /// <summary>No turn compacted: one model call per turn (no summarizing call) and no stored summary.</summary>
        public async Task CheckAsync()
        {
            if (_model.Calls != _turns) throw new InvalidOperationException($"{_model.Calls} model calls for {_turns} turns: a turn compacted");
            var stored = await _kernel.Get<IConversationStore>().LoadHistoryAsync(Chat.ConversationKey, StoredMessages, CancellationToken.None);
            if (stored.Summary is not null || stored.Messages.Count != StoredMessages)
                throw new InvalidOperationException($"expected {StoredMessages} stored messages and no summary, found {stored.Messages.Count} and {stored.Summary?.Text.Length ?? 0} characters of summary");
        }

        public double Percentile(double p)
        {
            var sorted = Times.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        }

        public ValueTask DisposeAsync() => _kernel.DisposeAsync();
    }

    /// <summary>Answers every request at once with 1,400 characters of the docs (a different stretch each time).</summary>
    private sealed class AnswerModel(string text) : IChatClient
    {
        public int Calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var n = Interlocked.Increment(ref Calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text.Substring(n * 104_729 % (text.Length - 2_000), 1_400))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException("the bench does not stream");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose() { }
    }
}
