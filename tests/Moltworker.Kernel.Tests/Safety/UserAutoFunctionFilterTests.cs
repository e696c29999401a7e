using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using Moltworker.Kernel.Tests.Filters.Support;

namespace Moltworker.Kernel.Tests.Safety;

/// <summary>A user's SK <see cref="IAutoFunctionInvocationFilter"/> around the model's tool calls: SK's context filled
/// in truthfully, and <c>Terminate</c> ending the turn with every call of the batch answered exactly once.</summary>
public sealed class UserAutoFunctionFilterTests
{
    [Fact]
    public async Task Terminate_on_the_second_of_three_calls_ends_the_turn_with_all_three_answered()
    {
        var filter = new TerminatingFilter(terminateAt: 1);
        using var h = new KernelHarness(configure: s => s.AddSingleton<IAutoFunctionInvocationFilter>(filter));
        h.Model.Responder = (_, _, _) => Task.FromResult(ScriptedChatClient.Calls_(
            ("w1", "write", new { item = "one" }), ("w2", "write", new { item = "two" }), ("w3", "write", new { item = "three" })));

        var reply = await h.AskAsync("write three things");

        Assert.Equal(1, h.Model.Calls); // no second model request after Terminate
        Assert.Equal("wrote:two", reply.Text);
        Assert.Equal(["one", "two"], h.Probe.Order);
        Assert.Equal([(0, 0, 3, "w1"), (0, 1, 3, "w2")], filter.Seen.Select(s => (s.Request, s.Index, s.Count, s.CallId)));
        Assert.All(filter.Seen, s => Assert.Equal("write three things", s.FirstUserText));
        Assert.All(filter.Seen, s => Assert.Equal(3, s.CallsInRequest));

        // Every call answered exactly once in the kept conversation: two ran, the third was skipped.
        var messages = await h.Get<Moltworker.Kernel.State.IConversationStore>().LoadAsync("test:chat1", 50, default);
        var results = messages.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal(["w1", "w2", "w3"], results.Select(r => r.CallId));
        Assert.Equal("wrote:one", results[0].Result?.ToString());
        Assert.StartsWith("Skipped: a filter ended the turn", results[2].Result?.ToString());
    }

    [Fact]
    public async Task A_result_a_filter_sets_is_read_like_a_functions_own_value_images_included()
    {
        var filter = new ImageResultFilter();
        using var h = new KernelHarness(configure: s => s.AddSingleton<IAutoFunctionInvocationFilter>(filter));
        IReadOnlyList<ChatMessage>? second = null;
        h.Model.Responder = (messages, n, _) =>
        {
            if (n == 1) return Task.FromResult(ScriptedChatClient.Calls_(("w1", "write", new { item = "one" })));
            second = messages;
            return Task.FromResult(ScriptedChatClient.Answer("done"));
        };

        await h.AskAsync("write one thing");

        var result = second!.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.StartsWith("a chart", result.Result?.ToString()); // the text part, not the content list as JSON
        Assert.Contains("1 image(s) not sent", result.Result?.ToString()); // the test model is not marked as taking images
    }

    /// <summary>Replaces the function's result with SK content: a text and an image.</summary>
    private sealed class ImageResultFilter : IAutoFunctionInvocationFilter
    {
        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            await next(context);
            List<KernelContent> items = [new Microsoft.SemanticKernel.TextContent("a chart"), new ImageContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png")];
            context.Result = new FunctionResult(context.Function, items);
        }
    }

    private sealed class TerminatingFilter(int terminateAt) : IAutoFunctionInvocationFilter
    {
        public List<(int Request, int Index, int Count, string? CallId, string? FirstUserText, int CallsInRequest)> Seen { get; } = [];

        public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
        {
            lock (Seen)
                Seen.Add((context.RequestSequenceIndex, context.FunctionSequenceIndex, context.FunctionCount, context.ToolCallId,
                    context.ChatHistory.FirstOrDefault(m => m.Role == Microsoft.SemanticKernel.ChatCompletion.AuthorRole.User)?.Content,
                    context.ChatMessageContent.Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>().Count()));
            await next(context);
            if (context.FunctionSequenceIndex == terminateAt) context.Terminate = true;
        }
    }
}
