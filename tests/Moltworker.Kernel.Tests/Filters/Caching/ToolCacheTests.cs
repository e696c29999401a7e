using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Abstractions;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Kernel.Hosting;
using Moltworker.Kernel.Tasks;
using Moltworker.Kernel.Tests.Filters.Support;
using Moltworker.Kernel.Transactions;

namespace Moltworker.Kernel.Tests.Filters.Caching;

/// <summary>The tool-result cache end to end: a scripted model asks for a tool each turn, an in-test tool counts the
/// calls that reached it, the clock is the harness's manual one.</summary>
public sealed class ToolCacheTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "mw-toolcache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A kernel over <see cref="_data"/> (so a second one is the same host restarted) whose model calls
    /// <paramref name="tool"/> with <paramref name="args"/> for every user message, then answers with the tool's result.</summary>
    private KernelHarness Kernel(UpstreamCounter upstream, string tool = "lookup", object? args = null, Dictionary<string, string?>? settings = null)
    {
        var config = new Dictionary<string, string?> { ["Moltworker:DataDirectory"] = _data };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        var h = new KernelHarness(config, configure: s =>
        {
            s.AddSingleton(upstream);
            s.AddPlugin<CacheTestTools>();
        });
        h.Model.Responder = (messages, _, _) =>
        {
            var last = messages[^1];
            if (last.Role == ChatRole.User)
            {
                lock (SeenByModel) SeenByModel.Add(last.Text);
                return Task.FromResult(ScriptedChatClient.Calls_(("c1", tool, args ?? new { city = "Paris" })));
            }
            var result = last.Contents.OfType<FunctionResultContent>().Single().Result?.ToString() ?? "";
            return Task.FromResult(ScriptedChatClient.Answer(result));
        };
        return h;
    }

    private List<string> SeenByModel { get; } = [];

    private static Task<ChatReply> Ask(KernelHarness h, string text, string user = "user1") =>
        h.Get<IChatService>().HandleAsync(new IncomingMessage(new ChatAddress("test", "chat-" + user, user), text), default);

    [Fact]
    public async Task A_hit_within_the_ttl_makes_no_upstream_call_and_is_flagged_in_the_events_and_the_transaction_log()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream);
        var first = await Ask(h, "weather?");
        h.Clock.Advance(TimeSpan.FromMinutes(9));
        var second = await Ask(h, "weather again?");

        Assert.Equal(1, upstream.Of("lookup"));
        Assert.Equal("Paris for 1 days, lookup #1", first.Text);
        Assert.Equal(first.Text, second.Text);

        var finished = h.EventsOf<CallFinished>();
        Assert.Equal([false, true], finished.Select(f => f.Cached));
        Assert.All(finished, f => Assert.Equal(ToolStatus.Ok, f.Status));
        Assert.Contains("\"cached\":true", EventWire.Describe(finished[1])!.Value.Data);
        Assert.Contains("\"cached\":false", EventWire.Describe(finished[0])!.Value.Data);

        var rows = await h.Get<ITransactionLog>().QueryAsync(new TransactionQuery { Kind = "tool" }, default);
        Assert.Equal([false, true], rows.OrderBy(r => r.Id).Select(r => r.Cached));
        Assert.Equal(second.TaskId, rows.Single(r => r.Cached).TaskId);

        // The hit is journaled like any result (a resume replays the text the model saw), and not as a side effect.
        var journaled = Assert.Single(await h.Get<IToolJournal>().ListAsync(second.TaskId!, default));
        Assert.False(journaled.SideEffects);
        Assert.Equal(first.Text, journaled.Content);
    }

    [Fact]
    public async Task After_the_ttl_on_the_injected_clock_the_tool_is_called_again()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream);
        await Ask(h, "weather?");
        h.Clock.Advance(TimeSpan.FromMinutes(10));
        var again = await Ask(h, "weather?");
        Assert.Equal(2, upstream.Of("lookup"));
        Assert.Equal("Paris for 1 days, lookup #2", again.Text);
        Assert.Equal([false, false], h.EventsOf<CallFinished>().Select(f => f.Cached));

        var third = await Ask(h, "weather?");   // the fresh result is cached in turn
        Assert.Equal(again.Text, third.Text);
        Assert.Equal(2, upstream.Of("lookup"));
    }

    [Fact]
    public async Task The_same_call_in_another_order_or_spelling_hits_and_other_arguments_miss()
    {
        var upstream = new UpstreamCounter();
        using (var h = Kernel(upstream, args: new { city = "Paris", days = 2 }))
            await Ask(h, "a");
        using (var h = Kernel(upstream, args: new { days = 2.0, city = "Paris" }))
            Assert.Equal("Paris for 2 days, lookup #1", (await Ask(h, "b")).Text);
        using (var h = Kernel(upstream, args: new { days = 3, city = "Paris" }))
            Assert.Equal("Paris for 3 days, lookup #2", (await Ask(h, "c")).Text);
        Assert.Equal(2, upstream.Of("lookup"));
    }

    [Fact]
    public async Task A_side_effecting_tool_is_never_served_from_the_cache_even_when_it_declares_or_is_given_a_ttl()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream, tool: "post", args: new { text = "hello" },
            settings: new() { ["Moltworker:Tools:Cache:Ttl:post"] = "01:00:00" });
        var first = await Ask(h, "post it");
        var second = await Ask(h, "post it again");
        Assert.Equal(2, upstream.Of("post"));
        Assert.Equal(["posted hello #1", "posted hello #2"], new[] { first.Text, second.Text });
        Assert.All(h.EventsOf<CallFinished>(), f => Assert.False(f.Cached));

        var post = h.Get<Moltworker.Kernel.Plugins.PluginCatalog>().Find("post")!;
        Assert.Null(h.Get<ToolCacheRules>().For("post", ToolMetadata.Of(post)));   // refused at registration too
    }

    [Fact]
    public async Task Two_users_do_not_share_per_user_results()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream, tool: "my_inbox", args: new { });
        var alice = await Ask(h, "my inbox?", user: "alice");
        var bob = await Ask(h, "my inbox?", user: "bob");
        var aliceAgain = await Ask(h, "my inbox?", user: "alice");
        Assert.Equal("inbox of alice, read #1", alice.Text);
        Assert.Equal("inbox of bob, read #2", bob.Text);
        Assert.Equal(alice.Text, aliceAgain.Text);
        Assert.Equal(2, upstream.Of("my_inbox"));
    }

    [Fact]
    public async Task Nocache_skips_the_cache_for_that_turn_and_the_model_never_sees_it()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream);
        await Ask(h, "weather?");
        var fresh = await Ask(h, "/nocache weather now?");
        var later = await Ask(h, "weather?");
        Assert.Equal(2, upstream.Of("lookup"));
        Assert.Equal("Paris for 1 days, lookup #2", fresh.Text);
        Assert.Equal(fresh.Text, later.Text);   // the fresh result replaced the cached one
        Assert.Equal(["weather?", "weather now?", "weather?"], SeenByModel);
        Assert.Equal([false, false, true], h.EventsOf<CallFinished>().Select(f => f.Cached));

        var bare = await Ask(h, "/nocache");
        Assert.True(bare.IsError);
        Assert.Contains("/nocache", bare.Text);
    }

    [Fact]
    public async Task A_failed_call_is_not_cached()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream, tool: "broken_lookup", args: new { });
        await Ask(h, "try");
        await Ask(h, "try again");
        Assert.Equal(2, upstream.Of("broken_lookup"));
        Assert.All(h.EventsOf<CallFinished>(), f => Assert.Equal((ToolStatus.Error, false), (f.Status, f.Cached)));
    }

    [Fact]
    public async Task A_configured_ttl_of_zero_turns_caching_off_for_a_tool()
    {
        var upstream = new UpstreamCounter();
        using var h = Kernel(upstream, settings: new() { ["Moltworker:Tools:Cache:Ttl:lookup"] = "00:00:00" });
        await Ask(h, "weather?");
        await Ask(h, "weather?");
        Assert.Equal(2, upstream.Of("lookup"));
    }

    [Fact]
    public async Task The_second_level_survives_a_host_restart()
    {
        var before = new UpstreamCounter();
        string answer;
        using (var h = Kernel(before))
            answer = (await Ask(h, "weather?")).Text;

        var after = new UpstreamCounter();
        using (var restarted = Kernel(after))   // a new kernel, memory empty, over the same database
        {
            var reply = await Ask(restarted, "weather?");
            Assert.Equal(answer, reply.Text);
            Assert.Equal(0, after.Of("lookup"));
            Assert.True(restarted.EventsOf<CallFinished>().Single().Cached);
        }
    }
}
