using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Filters;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Questions;
using Moltworker.Knowledge.Search;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Ranking;

public class QuestionTests
{
    [Theory]
    [InlineData("What is Moltworker?", QuestionKind.Definition, "moltworker")]
    [InlineData("what's a reranker", QuestionKind.Definition, "reranker")]
    [InlineData("What are embedding models?", QuestionKind.Definition, "embedding models")]
    [InlineData("define chunk overlap", QuestionKind.Definition, "chunk overlap")]
    [InlineData("what does RRF mean?", QuestionKind.Definition, "rrf")]
    [InlineData("How do I rotate the API key?", QuestionKind.HowTo, "")]
    [InlineData("why does the bot not answer", QuestionKind.Why, "")]
    [InlineData("telegram webhook secret", QuestionKind.Keywords, "")]
    public void Questions_are_recognised_and_keep_their_subject(string text, QuestionKind kind, string subject)
    {
        var query = QueryAnalyzer.Analyze(text);
        Assert.Equal(kind, query.Kind);
        Assert.Equal(subject, string.Join(' ', query.Subject));
    }

    [Fact]
    public void Question_and_stop_words_are_dropped_unless_nothing_else_is_left()
    {
        Assert.Equal(["rotate", "api", "key"], QueryAnalyzer.Analyze("How do I rotate the API key?").Terms);
        Assert.Equal([("rotate", "api"), ("api", "key")], QueryAnalyzer.Analyze("How do I rotate the API key?").Pairs);
        Assert.Equal(["what", "is", "it"], QueryAnalyzer.Analyze("What is it?").Terms);
    }

    [Fact]
    public void Proximity_counts_the_pairs_of_neighbouring_terms_that_stand_close()
    {
        var pairs = QueryAnalyzer.Analyze("how do I rotate the API key").Pairs.ToList();
        Assert.Equal(1.0, Proximity.Score("To rotate your API key, open the settings.", pairs, 4));
        Assert.Equal(0.5, Proximity.Score("Rotating the API is rare. Much later in this text, far away, a key appears.", pairs, 4));
        Assert.Equal(0.0, Proximity.Score("rotate this and that and more words then api", pairs, 4));
    }

    /// <summary>The configuration page mentions Moltworker in every line; the overview page says once what it is.</summary>
    private static void WriteCorpus(TempFolder folder)
    {
        folder.File("configuration.md", """
            # Configuration

            | Setting | Meaning |
            | --- | --- |
            | Moltworker__Llm__BaseUrl | where Moltworker sends model calls |
            | Moltworker__Llm__Model | the model Moltworker asks |
            | Moltworker__Telegram__Token | the bot token Moltworker uses |
            | Moltworker__DataDirectory | where Moltworker keeps its database |
            """);
        folder.File("overview.md", """
            # Overview

            ## Where to start
            Install the SDK and run the host from the repository root.

            ## The gateway
            Moltworker is a self-hosted assistant gateway: people talk to it in chats, and it answers with a model.
            """);
        folder.File("plugins.md", "# Plugins\n\nMoltworker loads plugins from the plugins folder. Moltworker plugins are classes.");
    }

    [Fact]
    public async Task What_is_X_finds_the_document_and_the_passage_that_define_X()
    {
        using var harness = new KnowledgeHarness(chunking: new Moltworker.Knowledge.Chunking.ChunkingOptions(30, 0));
        WriteCorpus(harness.Folder);
        await harness.IngestAsync(harness.Folder.Path);

        var results = await harness.Search.SearchAsync("what is moltworker?", 3, SearchFilter.None, CancellationToken.None);
        Assert.Equal("overview.md", Path.GetFileName(results.Hits[0].Chunk.Source));
        Assert.StartsWith("Moltworker is a self-hosted", results.Hits[0].Chunk.Text.Trim());

        // The same question with the definition evidence switched off does not put the defining passage first.
        var plain = await harness.Store.SearchAsync(new SearchRequest("what is moltworker?", 3)
        {
            Documents = DocumentRankingSettings.Default with { Definition = 0 },
        }, CancellationToken.None);
        Assert.NotEqual(results.Hits[0].Chunk.Id, plain[0].Chunk.Id);
    }

    [Fact]
    public async Task Without_a_model_what_is_moltworker_over_the_shipped_knowledge_folder_answers_from_getting_started()
    {
        using var harness = new KnowledgeHarness(chunking: new Moltworker.Knowledge.Chunking.ChunkingOptions(350, 50));
        await harness.IngestAsync(ShippedKnowledgeFolder());
        var responder = new NoModelKnowledgeResponder(harness.Search);

        var reply = await responder.AnswerAsync(new IncomingMessage(ChatAddress.Local, "what is moltworker?"), CancellationToken.None);
        Assert.False(reply.IsError);
        Assert.EndsWith("getting-started.md", reply.Citations[0].Source);
        Assert.Contains("Moltworker is a self-hosted AI assistant gateway", reply.Text);
        Assert.Contains("Getting started with Moltworker", reply.Text);
    }

    private static string ShippedKnowledgeFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Moltworker.sln"))) folder = folder.Parent;
        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("Moltworker.sln not found"), "knowledge");
    }
}
