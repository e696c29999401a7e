using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Knowledge.Ingest;
using Moltworker.Knowledge.Search;
using Spectre.Console;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker ingest &lt;path&gt;… [--prune] [--tag t] [--force]</c>: adds files and folders to the knowledge
/// base with a progress bar (files, counts, chunks per second) and a summary; exit 2 when some files failed.</summary>
public sealed class IngestVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders (Markdown, text, HTML, source code)", Arity = ArgumentArity.OneOrMore };
        var prune = new Option<bool>("--prune") { Description = "Remove documents under these paths whose files were deleted" };
        var tags = new Option<string[]>("--tag") { Description = "Tag every ingested document (repeatable)", AllowMultipleArgumentsPerToken = false };
        var force = new Option<bool>("--force") { Description = "Re-ingest unchanged documents too" };
        var command = new Command("ingest", "Add files and folders to the knowledge base (idempotent: unchanged files are skipped). Docs: docs/knowledge.md#ingest") { paths, prune, tags, force };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var ingestor = app.Services.GetRequiredService<KnowledgeIngestor>();
            var search = app.Services.GetRequiredService<KnowledgeSearchService>();
            // Configuration overrides (--Moltworker:Key=value) are not paths.
            var request = new IngestRequest(parse.GetValue(paths)!.Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList())
            {
                Prune = parse.GetValue(prune),
                Tags = parse.GetValue(tags) ?? [],
                Force = parse.GetValue(force),
            };
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.MarkupLine($"[grey]Retrieval: {Markup.Escape(search.Describe)}[/]");
            try
            {
                IngestSummary? summary = null;
                await console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var task = context.AddTask("Scanning", maxValue: 1);
                        var progress = new Progress<IngestProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.FilesTotal);
                            task.Value = p.FilesDone;
                            task.Description = $"{p.FilesDone}/{p.FilesTotal} files · {p.Added} new · {p.Updated} changed · {p.Unchanged} unchanged · " +
                                               $"{p.Failed} failed · {p.Chunks} chunks · {p.ChunksPerSecond:0}/s";
                        });
                        summary = await ingestor.IngestAsync(request, progress, ct);
                        task.Value = task.MaxValue;
                    });
                foreach (var failure in summary!.Failures) console.MarkupLine($"[red]failed[/] {Markup.Escape(failure.Path)}: {Markup.Escape(failure.Error)}");
                Console.WriteLine(summary.ToString());
                return summary.Failures.Count == 0 ? 0 : 2;
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
