using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Storage.Sqlite.Backup;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Operations;

/// <summary><c>moltworker backup</c> while the host answers turns: the backup restores (with <c>moltworker restore</c>, a
/// real process) to a database that passes integrity_check and holds every turn answered before the backup began.</summary>
public sealed class BackupUnderLoadTests
{
    [Fact]
    public async Task A_backup_taken_while_turns_run_restores_intact_with_every_committed_turn()
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        var served = 0;
        model.Responder = _ => ScriptedReply.Answer($"answer {Interlocked.Increment(ref served)}");
        var folder = new TempFolder(); // the host deletes it when disposed
        using var backups = new TempFolder();
        var backupFile = Path.Combine(backups.Path, "backup.db");
        int answeredBefore;
        await using (var host = await RunningHost.StartAsync(
                         [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Knowledge:IngestSeedOnStart=false"], folder: folder))
        {
            var answered = 0;
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 4).Select(chat => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var answer = await host.ChatAsync("hello", $"load-{chat}");
                    Assert.False(answer.IsError, answer.Text);
                    Interlocked.Increment(ref answered);
                }
            })).ToList();
            while (Volatile.Read(ref answered) < 40) await Task.Delay(20);
            answeredBefore = Volatile.Read(ref answered);

            var result = await HostProcess.RunAsync(["backup", backupFile, $"--Moltworker:DataDirectory={Path.Combine(folder.Path, "data")}"],
                new Dictionary<string, string>(), folder.Path);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.Contains("written to", result.Stdout);
            await stop.CancelAsync();
            await Task.WhenAll(load);
            Assert.True(DataDirectoryLock.IsHeld(host.Services.GetRequiredService<SqliteDatabase>().Directory));
        }

        using var restoreFolder = new TempFolder();
        var data = restoreFolder.Sub("data");
        var restore = await HostProcess.RunAsync(["restore", backupFile, $"--Moltworker:DataDirectory={data}"], new Dictionary<string, string>(), restoreFolder.Path);
        Assert.True(restore.ExitCode == 0, restore.Stderr);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "moltworker.db")};Pooling=False");
        await connection.OpenAsync();
        Assert.Equal("ok", await ScalarAsync(connection, "PRAGMA integrity_check"));
        var turns = long.Parse(await ScalarAsync(connection, "SELECT COUNT(*) FROM turns"), CultureInfo.InvariantCulture);
        var completed = long.Parse(await ScalarAsync(connection, "SELECT COUNT(*) FROM tasks WHERE status = 'Completed'"), CultureInfo.InvariantCulture);
        Assert.True(turns >= answeredBefore, $"{turns} turns in the backup, {answeredBefore} answered before it began");
        Assert.True(completed >= answeredBefore, $"{completed} completed tasks in the backup, {answeredBefore} answered before it began");
    }

    private static async Task<string> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }
}
