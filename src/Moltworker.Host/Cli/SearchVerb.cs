using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Knowledge.Answers;
using Moltworker.Knowledge.Model;
using Moltworker.Knowledge.Search;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker search "&lt;query&gt;" [--top N] [--json] [--tag t] [--source s] [--answer]</c>: ranked passages from the
/// knowledge base; with --json an array of {rank, score, document_id, source, heading_path, text}. With --answer, an
/// answer package instead (written by the model when one is configured, else the best passages).</summary>
public sealed class SearchVerb : ICliVerb
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public Command Build(CliHost host)
    {
        var query = new Argument<string>("query") { Description = "What to look for" };
        var top = new Option<int?>("--top") { Description = "How many passages (default: the setting Moltworker:Knowledge:DefaultTop, docs/configuration.md#moltworkerknowledge)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var tags = new Option<string[]>("--tag") { Description = "Only passages with this tag (repeatable: any of them)" };
        var source = new Option<string?>("--source") { Description = "Only passages from this file, folder or URL prefix" };
        var answer = new Option<bool>("--answer") { Description = "Print an answer package (summary, key points with citations, action items) instead of the passages" };
        var command = new Command("search", "Search the knowledge base and print the ranked passages with [n] citations. Docs: docs/knowledge.md") { query, top, json, tags, source, answer };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var search = app.Services.GetRequiredService<KnowledgeSearchService>();
            try
            {
                if (parse.GetValue(answer))
                {
                    var package = await app.Services.GetRequiredService<KnowledgeAnswerService>().AnswerAsync(parse.GetValue(query)!, parse.GetValue(top), ct);
                    if (package.Note is not null) await Console.Error.WriteLineAsync(package.Note);
                    Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(new
                    {
                        summary = package.Summary,
                        key_points = package.KeyPoints.Select(k => new { text = k.Text, citations = k.Citations }),
                        action_items = package.ActionItems,
                        removed_citations = package.RemovedCitations,
                        from_model = package.FromModel,
                        passages = package.Passages.Select(h => new { rank = h.Rank, title = h.Chunk.Title, heading_path = h.Chunk.HeadingPath, source = h.Chunk.Source }),
                    }, Json) : AnswerFormatter.ToMarkdown(package));
                    return 0;
                }
                var sourceFilter = parse.GetValue(source);
                var filter = new SearchFilter
                {
                    Tags = parse.GetValue(tags) ?? [],
                    Source = string.IsNullOrWhiteSpace(sourceFilter) || sourceFilter.Contains("://") ? sourceFilter : Path.GetFullPath(sourceFilter),
                };
                var results = await search.SearchAsync(parse.GetValue(query)!, parse.GetValue(top), filter, ct);
                if (results.Note is not null) await Console.Error.WriteLineAsync(results.Note);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(results.Hits.Select(h => new
                    {
                        rank = h.Rank,
                        score = h.Score,
                        document_id = h.Chunk.DocumentId,
                        source = h.Chunk.Source,
                        heading_path = h.Chunk.HeadingPath,
                        text = h.Chunk.Text,
                    }), Json));
                    return 0;
                }
                if (results.Hits.Count == 0) Console.WriteLine("No passages matched.");
                foreach (var hit in results.Hits)
                {
                    Console.WriteLine($"{CitationFormatter.Cite(hit)}  (score {hit.Score:G4})");
                    Console.WriteLine(hit.Chunk.Text.Trim());
                    Console.WriteLine();
                }
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
