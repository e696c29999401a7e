using Moltworker.Kernel.Chat;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Search;

/// <summary>Answers free text when no model is configured: the best passages from the knowledge base,
/// quoted with citations, under a line saying that no model is configured.</summary>
public sealed class NoModelKnowledgeResponder(KnowledgeSearchService search) : INoModelResponder
{
    public async Task<ChatReply> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var results = await search.SearchAsync(message.Text, 3, SearchFilter.None, cancellationToken);
        return new ChatReply(CitationFormatter.ForPerson(results))
        {
            Citations = results.Hits.Select(h => new Citation(h.Rank, h.Chunk.Source, h.Chunk.Title)).ToList(),
        };
    }
}
