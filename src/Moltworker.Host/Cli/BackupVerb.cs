using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker backup &lt;file&gt;</c>: an online, consistent copy of <c>moltworker.db</c> (SQLite's backup API),
/// safe while the host runs; exit 1 on failure.</summary>
public sealed class BackupVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var file = new Argument<string>("file") { Description = "Where to write the backup (a single SQLite file)" };
        var command = new Command("backup", "Copy the database to a file, online (the host may keep running). Docs: docs/deployment.md#backups") { file };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var database = app.Services.GetRequiredService<SqliteDatabase>();
            try
            {
                var result = await SqliteBackup.BackupAsync(database.Path, parse.GetValue(file)!, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Backup of {database.Path} written to {result.Path}: {result.Bytes / 1048576.0:0.0} MB in {result.Elapsed.TotalSeconds:0.00} s"));
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
