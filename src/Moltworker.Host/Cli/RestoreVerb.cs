using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker restore &lt;file&gt;</c>: puts a backup in place of <c>moltworker.db</c>. Refuses while a host uses
/// the data directory, or when the file fails integrity_check or comes from a newer version; exit 1 then.</summary>
public sealed class RestoreVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var file = new Argument<string>("file") { Description = "A backup written by moltworker backup (or a scheduled backup)" };
        var command = new Command("restore", "Replace the database with a backup (stop the host first). Docs: docs/deployment.md#backups") { file };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var database = app.Services.GetRequiredService<SqliteDatabase>();
            try
            {
                var result = await SqliteRestore.RestoreAsync(parse.GetValue(file)!, database.Path, database.Migrations,
                    app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
                Console.WriteLine($"Restored {result.DatabasePath} from {Path.GetFullPath(parse.GetValue(file)!)}." +
                                  (result.PreviousKeptAs is { } kept ? $" The database it replaced is kept as {kept}." : ""));
                return 0;
            }
            catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}
