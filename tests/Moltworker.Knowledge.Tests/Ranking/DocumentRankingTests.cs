using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Questions;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Ranking;

public class DocumentRankingTests
{
    private static readonly string Filler = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"unrelated{i % 17} remark about lunch"));

    /// <summary>spread.md explains the walrus protocol's retries and backoff across four sections; lucky.md has one
    /// short passage that repeats the query's words, in a long document about something else.</summary>
    private static void WriteCorpus(TempFolder folder)
    {
        folder.File("spread.md", """
            # Peer messaging

            ## Retries
            A failed walrus request is retried a few times before the client gives up on the peer.

            ## Backoff
            Between two attempts the client waits; the backoff doubles after every walrus failure.

            ## Limits
            The retry limit and the backoff ceiling are both configurable.

            ## Logging
            Every walrus retry is logged.

            ## Tuning
            Tune the backoff of walrus peers to the network.
            """);
        folder.File("lucky.md", $"""
            # Cafeteria notes

            ## Menu
            {Filler}

            ## Drinks
            {Filler}

            ## Trivia
            Walrus retry backoff, walrus retry backoff.

            ## Hours
            {Filler}
            """);
        for (var i = 0; i < 8; i++) folder.File($"other{i}.md", $"# Other {i}\n\nA note about gardens, tulips and the number {i}. {Filler}");
    }

    private static async Task<List<string>> DocumentsAsync(KnowledgeHarness harness, string query, DocumentRankingSettings? documents)
    {
        var hits = await harness.Store.SearchAsync(new SearchRequest(query, 10) { Candidates = 20, Documents = documents }, CancellationToken.None);
        return hits.Select(h => Path.GetFileName(h.Chunk.Source)).Distinct().ToList();
    }

    [Fact]
    public async Task A_document_with_evidence_spread_over_several_passages_outranks_one_lucky_passage()
    {
        using var harness = new KnowledgeHarness(chunking: new Moltworker.Knowledge.Chunking.ChunkingOptions(40, 0));
        WriteCorpus(harness.Folder);
        await harness.IngestAsync(harness.Folder.Path);

        // Ranked by passages alone, the lucky passage wins: that is the failure this ranking fixes.
        Assert.Equal("lucky.md", (await DocumentsAsync(harness, "walrus retry backoff", null))[0]);
        var ranked = await DocumentsAsync(harness, "walrus retry backoff", DocumentRankingSettings.Default);
        Assert.Equal(["spread.md", "lucky.md"], ranked.Take(2));
    }

    [Fact]
    public async Task Passages_of_a_document_come_together_best_first_and_carry_title_and_section()
    {
        using var harness = new KnowledgeHarness(chunking: new Moltworker.Knowledge.Chunking.ChunkingOptions(40, 0));
        WriteCorpus(harness.Folder);
        await harness.IngestAsync(harness.Folder.Path);

        var hits = await harness.Store.SearchAsync(new SearchRequest("walrus backoff", 4)
        {
            Candidates = 20, Documents = DocumentRankingSettings.Default with { PassagesPerDocument = 2 },
        }, CancellationToken.None);
        Assert.Equal(["spread.md", "spread.md"], hits.Take(2).Select(h => Path.GetFileName(h.Chunk.Source)));
        Assert.All(hits.Take(2), h => Assert.Equal("Peer messaging", h.Chunk.Title));
        Assert.Contains("Backoff", hits[0].Chunk.HeadingPath);
        Assert.Equal(hits[0].Score, hits[1].Score);
        Assert.True(hits[2].Score < hits[1].Score);
    }

    [Fact]
    public async Task A_document_found_only_at_document_level_still_returns_its_best_matching_passage()
    {
        using var harness = new KnowledgeHarness(chunking: new Moltworker.Knowledge.Chunking.ChunkingOptions(40, 0));
        WriteCorpus(harness.Folder);
        await harness.IngestAsync(harness.Folder.Path);
        await using var connection = await new FileConnectionFactory(harness.Folder.Combine("data/kb.db")).OpenAsync(CancellationToken.None);

        // No first-stage passages at all: both documents come from the document-level index alone.
        var ranked = await DocumentRanking.RankAsync(connection, QueryAnalyzer.Analyze("walrus backoff"), [],
            new SearchRequest("walrus backoff", 5) { Mode = SearchMode.Keyword }, DocumentRankingSettings.Default, CancellationToken.None);
        var chunks = await SqliteSearch.LoadChunksAsync(connection, ranked.Select(r => r.Id).ToList(), CancellationToken.None);

        Assert.Equal(["spread.md", "lucky.md"], ranked.Select(r => Path.GetFileName(chunks[r.Id].Source)));
        Assert.Contains("backoff", chunks[ranked[0].Id].Text); // not the document's first passage ("Retries")
        Assert.Equal(["Trivia"], chunks[ranked[1].Id].HeadingPath.Skip(1));
    }

    [Fact]
    public async Task Deleting_and_replacing_a_document_updates_the_document_level_index()
    {
        using var harness = new KnowledgeHarness();
        var file = harness.Folder.File("a.md", "# A\n\nThe narwhal gateway forwards requests.");
        await harness.IngestAsync(harness.Folder.Path);
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("narwhal", 5) { Documents = DocumentRankingSettings.Default }, CancellationToken.None));

        File.WriteAllText(file, "# A\n\nThe beluga gateway forwards requests.");
        await harness.IngestAsync(harness.Folder.Path);
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("narwhal", 5) { Documents = DocumentRankingSettings.Default }, CancellationToken.None));
        var documentId = Assert.Single(await harness.Store.SearchAsync(new SearchRequest("beluga", 5) { Documents = DocumentRankingSettings.Default }, CancellationToken.None)).Chunk.DocumentId;

        Assert.True(await harness.Store.DeleteDocumentAsync(documentId, CancellationToken.None));
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("beluga", 5) { Documents = DocumentRankingSettings.Default }, CancellationToken.None));
    }
}
