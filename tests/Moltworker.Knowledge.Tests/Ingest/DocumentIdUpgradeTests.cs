using System.Security.Cryptography;
using System.Text;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Ingest;

/// <summary>Document ids changed from SHA-256 to XxHash128 (2026-12): a document stored under its old id is replaced,
/// not duplicated, by the next ingest of its source.</summary>
public sealed class DocumentIdUpgradeTests
{
    /// <summary>The id <see cref="ChunkIds.Document"/> gave a source before 2026-12.</summary>
    private static string LegacyId(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..16];

    private static async Task StoreUnderLegacyIdAsync(KnowledgeHarness harness, string source, string text)
    {
        var id = LegacyId(source);
        var chunk = new KnowledgeChunk { DocumentId = id, Source = source, Title = "A", Text = text, End = text.Length };
        await harness.Store.ReplaceDocumentAsync(new DocumentInfo(id, source, "A", "old-hash", 1, DateTimeOffset.UtcNow), [chunk], CancellationToken.None);
    }

    [Fact]
    public async Task A_document_stored_under_its_old_id_is_replaced_by_the_next_ingest_of_its_source()
    {
        using var harness = new KnowledgeHarness();
        var a = Path.GetFullPath(harness.Folder.File("docs/a.md", "# A\n\nAardvarks eat termites.\n"));
        var b = Path.GetFullPath(harness.Folder.File("docs/b.md", "# B\n\nBadgers dig setts.\n"));
        await StoreUnderLegacyIdAsync(harness, a, "Aardvarks dig burrows.");
        await StoreUnderLegacyIdAsync(harness, b, "Badgers dig setts.");
        Assert.NotEqual(LegacyId(a), ChunkIds.Document(a));

        var summary = await harness.IngestAsync(harness.Folder.Combine("docs"));

        Assert.Equal((2, 2, 0), (summary.Added, summary.Files, summary.Removed));
        var documents = await harness.Store.ListDocumentsAsync(null, CancellationToken.None);
        Assert.Equal([ChunkIds.Document(a), ChunkIds.Document(b)], documents.OrderBy(d => d.Source).Select(d => d.Id));
        Assert.Null(await harness.Store.GetDocumentAsync(LegacyId(a), CancellationToken.None));
        Assert.Empty(await harness.Store.SearchAsync(new SearchRequest("burrows", 5), CancellationToken.None));   // the old chunks are gone
        Assert.Single(await harness.Store.SearchAsync(new SearchRequest("setts", 5), CancellationToken.None));     // once, not twice
        Assert.Equal(2, (await harness.Store.GetStatsAsync(CancellationToken.None)).Documents);

        var again = await harness.IngestAsync(harness.Folder.Combine("docs"));
        Assert.Equal((0, 2), (again.Added, again.Unchanged));
    }

    [Fact]
    public async Task A_document_sent_with_a_request_replaces_the_one_stored_under_its_old_id()
    {
        using var harness = new KnowledgeHarness();
        const string source = "api:notes/one";
        await StoreUnderLegacyIdAsync(harness, source, "Old words about otters.");

        var summary = await harness.Ingestor.IngestDocumentAsync(new SourceDocument
        {
            Id = ChunkIds.Document(source), Source = source, Title = "One", Format = DocumentFormat.Markdown, Text = "# One\n\nNew words about otters.\n",
            Hash = "h1", UpdatedAt = DateTimeOffset.UtcNow,
        }, force: false, CancellationToken.None);

        Assert.Equal(1, summary.Added);
        Assert.Equal(ChunkIds.Document(source), Assert.Single(await harness.Store.ListDocumentsAsync(null, CancellationToken.None)).Id);
        Assert.Equal("New words about otters.", Assert.Single(await harness.Store.SearchAsync(new SearchRequest("otters", 5), CancellationToken.None)).Chunk.Text);
    }

    [Fact]
    public async Task Another_source_that_starts_with_the_same_path_is_left_alone()
    {
        using var harness = new KnowledgeHarness();
        var a = Path.GetFullPath(harness.Folder.File("docs/a.md", "# A\n\nAardvarks.\n"));
        await StoreUnderLegacyIdAsync(harness, a + ".bak", "A backup.");

        await harness.IngestAsync(a);

        Assert.Equal(2, (await harness.Store.ListDocumentsAsync(null, CancellationToken.None)).Count);
    }

    [Fact]
    public void A_document_id_is_the_first_16_hex_digits_of_the_sources_xxhash128()
    {
        // Pinned to XxHash128's reference value for the empty input: a stored id must not change between versions.
        Assert.Equal("99aa06d3014798d8", ChunkIds.Document(""));
    }

    [Fact]
    public void A_chunks_point_uuid_is_the_same_for_the_same_chunk_and_a_name_based_rfc_4122_uuid()
    {
        var uuid = ChunkIds.Uuid("0123456789abcdef#3");

        Assert.Equal(uuid, ChunkIds.Uuid("0123456789abcdef#3"));   // an ingest upserts a chunk's point by it
        Assert.NotEqual(uuid, ChunkIds.Uuid("0123456789abcdef#4"));
        var text = uuid.ToString("D");
        Assert.Equal('5', text[14]);                  // version
        Assert.Contains(text[19], "89ab");            // variant
        // Pinned: XxHash128 of the empty input (99aa06d3014798d86001c324468d497f) with the version and variant bits set.
        Assert.Equal(Guid.Parse("99aa06d3-0147-58d8-a001-c324468d497f"), ChunkIds.Uuid(""));
    }
}
