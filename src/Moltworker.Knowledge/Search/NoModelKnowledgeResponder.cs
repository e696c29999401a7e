using Moltworker.Kernel.Chat;
using Moltworker.Knowledge.Model;

namespace Moltworker.Knowledge.Search;

/// <summary>Answers free text when no model is configured: the best passages from the knowledge base, quoted with
/// citations, under a line saying that no model is configured, and a closing hint on how to configure one. When
/// nothing matches, the reply is an error that says so (like the kernel's default responder).</summary>
public sealed class NoModelKnowledgeResponder(KnowledgeSearchService search) : INoModelResponder
{
    public const string Hint =
        "_For answers written by a model, set `Moltworker__Llm__BaseUrl` and `Moltworker__Llm__Model` " +
        "(and `Moltworker__Llm__ApiKey` for hosted APIs). Commands work without a model: try /help._";

    public async Task<ChatReply> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var results = await search.SearchAsync(message.Text, 3, SearchFilter.None, cancellationToken);
        return new ChatReply(CitationFormatter.ForPerson(results) + "\n\n" + Hint, IsError: results.Hits.Count == 0)
        {
            Citations = results.Hits.Select(h => new Citation(h.Rank, h.Chunk.Source, h.Chunk.Title)).ToList(),
        };
    }
}
