using System.ComponentModel;
using Moltworker.Abstractions;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Knowledge.Tools;

/// <summary>The <c>knowledge_search</c> tool: top passages with citation numbers. (Not a chat command: without a model,
/// free text is already answered from the knowledge base.)</summary>
[Plugin("Knowledge", Description = "Search the curated knowledge base and cite its sources.")]
public sealed class KnowledgePlugin(KnowledgeSearchService search)
{
    [Tool("knowledge_search", ParallelSafe = true, TimeoutSeconds = 30)]
    [Description("Searches the curated knowledge base (Moltworker's documentation and documents ingested by the operator). " +
                 "Returns the best passages numbered [1], [2]… with their sources. Cite the numbers in the answer and list the sources.")]
    public async Task<string> SearchAsync(
        [Description("What to look for, in natural language or keywords.")] string query,
        [Description("How many passages to return (optional; the configured default when omitted).")] int? top = null,
        [Description("Only passages carrying this tag (optional).")] string? tag = null,
        [Description("Only passages from this source path, folder or URL prefix (optional).")] string? source = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ToolException("The query is empty: say what to look for.");
        var filter = new SearchFilter
        {
            Tags = string.IsNullOrWhiteSpace(tag) ? [] : tag.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Source = string.IsNullOrWhiteSpace(source) ? null : source.Trim(),
        };
        var results = await search.SearchAsync(query, top, filter, cancellationToken);
        return CitationFormatter.ForModel(results);
    }
}
