using Moltworker.Kernel.Agents;
using Moltworker.Kernel.Prompts;
using Moltworker.Kernel.State;
using Moltworker.Kernel.Tests.Filters.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Moltworker.Kernel.Tests.Agents;

public sealed class AgentFilesTests
{
    private static string ShippedAgents()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Moltworker.sln"))) return Path.Combine(dir.FullName, "prompts", "agents");
        throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void The_shipped_agent_files_parse_and_default_may_ask_the_three_specialists()
    {
        var agents = Directory.EnumerateFiles(ShippedAgents(), "*.md")
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => AgentFileParser.Parse(Path.GetFileNameWithoutExtension(p), File.ReadAllText(p)));

        Assert.Equal(["coder", "default", "planner", "researcher", "reviewer"], agents.Keys.Order());
        Assert.All(agents.Values, a => Assert.NotEmpty(a.Description));
        Assert.StartsWith("Plain chat: one work phase", agents["default"].Description);
        Assert.Equal(["researcher", "coder", "reviewer"], agents["default"].DelegatesTo);
        Assert.Empty(agents["reviewer"].Tools!);
        Assert.Equal(["github_read_file", "github_list_files"], agents["coder"].Tools);
        Assert.Contains("Knowledge", agents["researcher"].Tools!);
        Assert.Null(agents["default"].Tools); // every tool
        Assert.Equal(["plan", "work", "review"], agents["planner"].Phases);
    }

    [Fact]
    public void Unquoted_text_with_a_colon_is_refused_with_its_line()
    {
        var ex = Assert.Throws<FrontMatterException>(() => AgentFileParser.Parse("x", "---\nphases: [work]\ndescription: Plain chat: one work phase.\n---\nBody"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("agents/x", ex.Message);
    }

    [Theory]
    [InlineData("max_depth: deep", 2, "whole number")]
    [InlineData("tools: {a: 1}", 2, "list of names")]
    [InlineData("delegate_to: [a]", 2, "unknown key 'delegate_to'")]
    [InlineData("budgets: { work: soon }", 2, "not a duration")]
    public void A_value_of_the_wrong_shape_is_an_error_naming_key_and_line(string line, int expectedLine, string expected)
    {
        var ex = Assert.Throws<FrontMatterException>(() => AgentFileParser.Parse("x", $"---\n{line}\n---\nBody"));
        Assert.Equal(expectedLine, ex.Line);
        Assert.Contains(expected, ex.Reason);
    }

    [Fact]
    public async Task A_bad_file_is_reported_by_name_and_line_while_the_others_work_and_a_fix_reloads()
    {
        using var h = new KernelHarness(agentFrontMatter: "phases: [work]\ndelegates_to: [good]");
        var folder = Path.Combine(h.Root, "prompts", "agents");
        File.WriteAllText(Path.Combine(folder, "good.md"), "---\ndescription: \"Works.\"\n---\nI am good.");
        File.WriteAllText(Path.Combine(folder, "broken.md"), "---\ndescription: fine\nphases: [work\n---\nBody");
        var registry = h.Get<AgentRegistry>();

        var set = registry.Current;
        Assert.Equal(["default", "good"], set.Agents.Keys.Order());
        var error = Assert.Single(set.Errors);
        Assert.Equal("broken", error.Name);
        Assert.NotNull(error.Line);
        var health = await h.Services.GetServices<IHealthContributor>().Single(c => c.Name == "agents").CheckAsync(default);
        Assert.True(health.Healthy);
        Assert.Contains("broken", System.Text.Json.JsonSerializer.Serialize(health.Data));
        Assert.Contains("FAILED", AgentListing.Describe(set));

        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.Changed += () => changed.TrySetResult();
        // Written aside and moved in, so the watcher's event comes after the whole new text is there.
        File.WriteAllText(Path.Combine(folder, "broken.tmp"), "---\ndescription: \"fixed\"\n---\nBody");
        File.Move(Path.Combine(folder, "broken.tmp"), Path.Combine(folder, "broken.md"), overwrite: true);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Empty(registry.Current.Errors);
        Assert.Equal("fixed", registry.Current.Find("broken")!.Description);
    }

    [Fact]
    public void Tool_patterns_pick_tools_by_name_or_plugin_and_delegates_to_adds_ask_functions()
    {
        using var h = new KernelHarness(agentFrontMatter: "phases: [work]\ndelegates_to: [\"*\"]");
        var folder = Path.Combine(h.Root, "prompts", "agents");
        File.WriteAllText(Path.Combine(folder, "reader.md"), "---\ntools: [slow_*, gated_read]\n---\nI read.");
        File.WriteAllText(Path.Combine(folder, "quiet.md"), "---\ntools: []\n---\nNo tools.");
        File.WriteAllText(Path.Combine(folder, "tester.md"), "---\ntools: [TEST]\n---\nEverything of plugin test.");
        var tools = h.Get<AgentTools>();

        Assert.Equal(["gated_read", "slow_read"], tools.For(Turn(h, "reader")).Keys.Order());
        Assert.Empty(tools.For(Turn(h, "quiet")));
        Assert.Contains("write", tools.For(Turn(h, "tester")).Keys);
        var mine = tools.For(Turn(h, "default")).Keys.ToList();
        Assert.Contains("ask_reader", mine);
        Assert.Contains("ask_quiet", mine);
        Assert.DoesNotContain("ask_default", mine); // never itself
        Assert.Contains("write", mine); // no tools key: every tool

        // ask_<agent> declares what the agent's tools declare.
        Assert.True(Moltworker.Abstractions.ToolMetadata.Of(tools.Delegations["reader"]).SafeToRunAlongside);
        Assert.False(Moltworker.Abstractions.ToolMetadata.Of(tools.Delegations["reader"]).SideEffects);
        Assert.True(Moltworker.Abstractions.ToolMetadata.Of(tools.Delegations["quiet"]).SafeToRunAlongside);
        Assert.False(Moltworker.Abstractions.ToolMetadata.Of(tools.Delegations["tester"]).SafeToRunAlongside);
        Assert.True(Moltworker.Abstractions.ToolMetadata.Of(tools.Delegations["tester"]).SideEffects);
    }

    private static Moltworker.Kernel.Filters.TurnContext Turn(KernelHarness h, string agent) => new()
    {
        TaskId = "t", Address = new("test", "c"), History = [], Model = Moltworker.Kernel.Models.ModelInfo.None, Agent = agent,
    };
}
