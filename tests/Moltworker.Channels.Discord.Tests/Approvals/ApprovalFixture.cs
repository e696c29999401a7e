using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Moltworker.Channels.Discord.Tests.EndToEnd;
using Moltworker.Kernel.Hosting;
using Moltworker.Testing.Discord;
using Moltworker.Testing.OpenAI;

namespace Moltworker.Channels.Discord.Tests.Approvals;

/// <summary>What the approval tests share: a Discord host with the kernel's filters (approvals included) and the notes
/// tool, the scripted model, and finding the request message the host posts in a channel.</summary>
public static partial class ApprovalFixture
{
    [GeneratedRegex("^apv:([0-9a-f]+):y$")]
    private static partial Regex ApproveId();

    public static Task<DiscordHost> StartAsync(FakeOpenAIServer model, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Moltworker:Llm:BaseUrl"] = model.BaseUrl,
            ["Moltworker:Llm:ApiKey"] = "test-key",
            ["Moltworker:Llm:Model"] = "test-model",
            ["Moltworker:Approvals:SweepInterval"] = "00:00:00",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return DiscordHost.StartAsync(settings, configure: s => s.AddPlugin<NotesPlugin>(), withFilters: true);
    }

    public static ScriptedReply Note(string note) => ScriptedReply.Calls(ScriptedToolCall.Json("send_note", new { note }, "n-" + note));

    /// <summary>The request message posted in <paramref name="channel"/> (the <paramref name="count"/>th with buttons).</summary>
    public static async Task<RecordedRequest> PromptAsync(FakeDiscordServer discord, string channel, int count = 1)
    {
        bool IsPrompt(RecordedRequest r) => r.Is("POST", $"channels/{channel}/messages") && r.Json?["components"] is JsonArray { Count: > 0 };
        await discord.Rest.WaitForAsync(r => IsPrompt(r) && discord.Rest.Requests.Count(IsPrompt) >= count);
        return discord.Rest.Requests.Where(IsPrompt).ElementAt(count - 1);
    }

    /// <summary>The request id behind the prompt's Approve button.</summary>
    public static string IdOf(RecordedRequest prompt)
    {
        var buttons = prompt.Json!["components"]![0]!["components"]!.AsArray();
        return buttons.Select(b => ApproveId().Match(b!["custom_id"]!.GetValue<string>())).Single(m => m.Success).Groups[1].Value;
    }

    /// <summary>A message the host posted in <paramref name="channel"/> saying exactly <paramref name="text"/>.</summary>
    public static Task<RecordedRequest> PostedAsync(FakeDiscordServer discord, string channel, string text) =>
        discord.Rest.WaitForAsync(r => r.Is("POST", $"channels/{channel}/messages") && r.Content == text);
}
