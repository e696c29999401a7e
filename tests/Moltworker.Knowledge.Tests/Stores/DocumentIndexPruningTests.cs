using Microsoft.Data.Sqlite;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Stores.Sqlite;
using Moltworker.Knowledge.Tests.Support;

namespace Moltworker.Knowledge.Tests.Stores;

/// <summary>The document-level query leaves out phrases whose bm25 idf is at FTS5's floor (in half or more of the
/// documents), once there are enough documents for that to be noise.</summary>
public sealed class DocumentIndexPruningTests
{
    private const string Common = "\"common\"", Half = "\"half\"", Rare = "\"rare\"";

    private static async Task<SqliteConnection> StoreAsync(TempFolder folder, int documents)
    {
        var factory = new FileConnectionFactory(folder.Combine($"kb{documents}.db"));
        var store = new SqliteKnowledgeStore(factory);
        for (var d = 0; d < documents; d++)
        {
            var id = $"doc{d}";
            var text = "common" + (d % 2 == 0 ? " half" : "") + (d < 5 ? " rare" : "") + $" filler{d}";
            var chunk = new KnowledgeChunk
            {
                DocumentId = id, Source = $"/kb/{id}.md", Title = id, Position = 0, Text = text, UpdatedAt = DateTimeOffset.UnixEpoch, End = text.Length,
            };
            await store.ReplaceDocumentAsync(new DocumentInfo(id, $"/kb/{id}.md", id, "h", 1, DateTimeOffset.UnixEpoch), [chunk], CancellationToken.None);
        }
        return await factory.OpenAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Phrases_in_half_or_more_of_the_documents_are_left_out()
    {
        using var folder = new TempFolder();
        await using var connection = await StoreAsync(folder, 120);

        Assert.Equal([Rare], await DocumentIndex.InformativePhrasesAsync(connection, [Common, Half, Rare], CancellationToken.None));
    }

    [Fact]
    public async Task When_every_phrase_is_common_all_are_kept()
    {
        using var folder = new TempFolder();
        await using var connection = await StoreAsync(folder, 120);

        Assert.Equal([Common, Half], await DocumentIndex.InformativePhrasesAsync(connection, [Common, Half], CancellationToken.None));
    }

    [Fact]
    public async Task A_small_knowledge_base_keeps_every_phrase()
    {
        using var folder = new TempFolder();
        await using var connection = await StoreAsync(folder, 20);

        Assert.Equal([Common, Half, Rare], await DocumentIndex.InformativePhrasesAsync(connection, [Common, Half, Rare], CancellationToken.None));
    }
}
