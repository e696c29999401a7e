using Microsoft.Data.Sqlite;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Upgrade;

/// <summary>
/// Makes an upgrade fixture: a database written by this version of the host through its real HTTP API. It holds one
/// finished turn ("tangerine") and one task cut short by a stop (status Running, with its checkpoint), then is compacted
/// into one self-contained file. <see cref="UpgradeFixtureTests"/> runs it; with <c>MOLTWORKER_WRITE_FIXTURES=1</c> the
/// file is also written into the source tree as the fixture of today's schema (commit it when the schema changed).
/// </summary>
public static class UpgradeFixtureWriter
{
    public const string RememberedAnswer = "Noted: your word is tangerine.";
    public const string CutShortQuestion = "Count the moons of Jupiter, slowly.";

    public static async Task WriteAsync(string targetFile)
    {
        await using var model = await FakeOpenAIServer.StartAsync();
        var never = new TaskCompletionSource();
        model.Enqueue(ScriptedReply.Answer(RememberedAnswer), ScriptedReply.Answer("never sent") with { WaitFor = never.Task });
        var folder = new TempFolder("mw-fixture");
        var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Llm:MaxRetries=0",
             "--Moltworker:ShutdownTimeout=00:00:00.200", "--Moltworker:Knowledge:IngestSeedOnStart=false"], folder: folder);
        var data = Path.Combine(folder.Path, "data");
        try
        {
            Assert.Equal(RememberedAnswer, (await host.ChatAsync("Remember the word tangerine.", "upgrade")).Text);
            var cut = host.ChatAsync(CutShortQuestion, "upgrade");
            await model.WaitForRequestsAsync(2);
            // A snapshot while the second turn waits for the model: its task is Running with its checkpoint, as after a crash.
            File.Delete(targetFile);
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "moltworker.db")};Pooling=False"))
            {
                await connection.OpenAsync();
                await using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $target";
                vacuum.Parameters.AddWithValue("$target", targetFile);
                await vacuum.ExecuteNonQueryAsync();
            }
            await host.DisposeAsync(); // also deletes the folder
            await Assert.ThrowsAnyAsync<Exception>(() => cut);
        }
        finally
        {
            folder.Dispose();
        }
    }
}
