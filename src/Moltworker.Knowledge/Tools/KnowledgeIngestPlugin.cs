using System.ComponentModel;
using Moltworker.Abstractions;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Options;

namespace Moltworker.Knowledge.Tools;

/// <summary>The <c>knowledge_ingest</c> tool, registered only when <c>Moltworker:Knowledge:AllowIngestTool</c> is
/// true, and limited to files under <c>IngestToolRoots</c> (default: the curated knowledge folder).</summary>
[Plugin("KnowledgeIngest", Description = "Add files to the knowledge base.")]
public sealed class KnowledgeIngestPlugin(KnowledgeIngestor ingestor, KnowledgeOptions options)
{
    [Tool("knowledge_ingest", SideEffects = true, Idempotent = true, TimeoutSeconds = 600)]
    [Description("Adds a file or folder (Markdown, text, HTML, source code) to the knowledge base, or refreshes it. " +
                 "Unchanged files are skipped. Only folders the operator allowed can be read.")]
    public async Task<string> IngestAsync(
        [Description("Path of a file or folder to ingest.")] string path,
        [Description("Also remove documents under this path whose files were deleted.")] bool prune = false,
        CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        var roots = AllowedRoots();
        if (!roots.Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            throw new ToolException($"'{path}' is outside the folders the knowledge base may read ({string.Join(", ", roots)}).");
        if (!File.Exists(full) && !Directory.Exists(full) && !prune) throw new ToolException($"'{path}' does not exist.");
        var summary = await ingestor.IngestAsync(new IngestRequest([full]) { Prune = prune }, null, cancellationToken);
        var failures = summary.Failures.Count == 0 ? "" : "\nFailed: " + string.Join("; ", summary.Failures.Select(f => $"{f.Path}: {f.Error}"));
        return summary + failures;
    }

    private List<string> AllowedRoots()
    {
        var roots = options.IngestToolRoots.Count > 0 ? options.IngestToolRoots : [options.SeedFolder];
        return roots.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => Path.GetFullPath(r).TrimEnd(Path.DirectorySeparatorChar)).ToList();
    }
}
