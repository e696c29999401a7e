using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Knowledge.Answers;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Answers;

public sealed class AnswerTests
{
    [Fact]
    public void Markers_that_point_to_no_retrieved_passage_are_removed_and_counted()
    {
        var checkedText = CitationCheck.Apply("Tokens go in the environment [1]. Rotate them yearly [7]. See also [2, 9] and [0]. Arrays look like [a].", 5);
        Assert.Equal("Tokens go in the environment [1]. Rotate them yearly. See also [2] and. Arrays look like [a].", checkedText.Text);
        Assert.Equal([1, 2], checkedText.Citations);
        Assert.Equal([7, 9, 0], checkedText.Removed);
    }

    private static async Task<KnowledgeHarness> FivePassagesAsync()
    {
        var harness = new KnowledgeHarness();
        for (var i = 1; i <= 5; i++) harness.Folder.File($"token{i}.md", $"# Token note {i}\n\nThe bot token rule number {i}: keep the token secret.");
        await harness.IngestAsync(harness.Folder.Path);
        return harness;
    }

    [Fact]
    public async Task A_model_answer_that_cites_passage_7_of_5_loses_that_marker_and_the_usage_log_counts_it()
    {
        using var harness = await FivePassagesAsync();
        var log = new RecordingTransactionLog();
        var model = new ScriptedChatClient("""
            ```json
            {"summary": "Keep the bot token secret [1] and rotate it [7].",
             "key_points": [{"text": "The token belongs in the environment [2].", "citations": [2]},
                            {"text": "Rotate tokens monthly [7].", "citations": [7]}],
             "action_items": ["Move the token out of the config file [3]."]}
            ```
            """);
        var service = new KnowledgeAnswerService(harness.Search, log, TimeProvider.System, NullLogger<KnowledgeAnswerService>.Instance, model);

        var package = await service.AnswerAsync("how do I keep the bot token secret?", 5, CancellationToken.None);

        Assert.Equal(5, package.Passages.Count);
        Assert.True(package.FromModel);
        Assert.Equal("Keep the bot token secret [1] and rotate it.", package.Summary);
        Assert.Equal(["The token belongs in the environment [2].", "Rotate tokens monthly."], package.KeyPoints.Select(k => k.Text));
        Assert.Equal([2], package.KeyPoints[0].Citations);
        Assert.Empty(package.KeyPoints[1].Citations);
        Assert.Equal(["Move the token out of the config file [3]."], package.ActionItems);
        Assert.Equal(3, package.RemovedCitations); // [7] in the summary, in the key point's text and in its citations
        var row = Assert.Single(log.Records);
        Assert.Equal("knowledge_answer", row.Name);
        Assert.Contains("3 citation markers removed", row.Summary);
        Assert.Contains("\"removed_citations\":3", row.Arguments);
        Assert.Equal(120, row.InputTokens);

        // The model saw the five passages, numbered, each with its title.
        var prompt = model.Requests.Single()[1].Text;
        Assert.Contains("[5] Token note", prompt);
        Assert.DoesNotContain("[6]", prompt);
        Assert.DoesNotContain("[7]", AnswerFormatter.ToMarkdown(package));
    }

    [Fact]
    public async Task Without_a_model_the_answer_is_the_best_passages_with_title_and_section()
    {
        using var harness = new KnowledgeHarness();
        harness.Folder.File("a.md", "# Walrus\n\n## Overview\n\nThe walrus gateway is a relay for chat messages. It runs anywhere.\n\n## Setup\n\nInstall the walrus package.");
        await harness.IngestAsync(harness.Folder.Path);
        var service = new KnowledgeAnswerService(harness.Search, null, TimeProvider.System, NullLogger<KnowledgeAnswerService>.Instance);

        var package = await service.AnswerAsync("What is the walrus gateway?", 3, CancellationToken.None);

        Assert.False(package.FromModel);
        Assert.Equal("The walrus gateway is a relay for chat messages. It runs anywhere. [1]", package.Summary);
        Assert.StartsWith("Walrus › Overview: The walrus gateway is a relay", package.KeyPoints[0].Text);
        Assert.Contains("Sources:\n[1] Walrus › Overview", AnswerFormatter.ToMarkdown(package));
    }
}
