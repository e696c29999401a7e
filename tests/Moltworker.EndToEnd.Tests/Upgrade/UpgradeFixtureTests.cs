using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Testing.OpenAI;

namespace Moltworker.EndToEnd.Tests.Upgrade;

/// <summary>
/// Each released schema's database (under Upgrade/Fixtures, made by <see cref="UpgradeFixtureWriter"/>) opens with the
/// current code: its cut-short task resumes and is answered once, a new turn runs with the old history, nothing that was
/// there is lost. A database from a newer version is refused with a clear message and left as it was.
/// </summary>
public sealed class UpgradeFixtureTests
{
    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        var folder = Path.Combine(AppContext.BaseDirectory, "Upgrade", "Fixtures");
        if (!Directory.Exists(folder)) return data;
        foreach (var file in Directory.GetFiles(folder, "*.db").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(file));
        return data;
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Upgrade", "Fixtures", name);

    [Fact]
    public async Task The_fixture_writer_still_works_and_can_refresh_todays_fixture()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "fixture.db");
        await UpgradeFixtureWriter.WriteAsync(file);
        Assert.Equal([("Completed", "1"), ("Running", "1")], await RowsAsync(file, "SELECT status, COUNT(*) FROM tasks GROUP BY status ORDER BY status"));
        if (Environment.GetEnvironmentVariable("MOLTWORKER_WRITE_FIXTURES") == "1")
        {
            var source = Path.GetFullPath(Path.Combine(TestArtifacts.HostDll, "../../../../../../tests/Moltworker.EndToEnd.Tests/Upgrade/Fixtures",
                $"schema-{DateTime.UtcNow:yyyy-MM-dd}.db"));
            File.Copy(file, source, overwrite: true);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task An_old_database_opens_resumes_its_task_once_and_runs_a_new_turn_with_nothing_lost(string fixture)
    {
        var folder = new TempFolder(); // the host deletes it when disposed
        var data = folder.Sub("data");
        File.Copy(Fixture(fixture), Path.Combine(data, "moltworker.db"));
        var before = await RowsAsync(Path.Combine(data, "moltworker.db"), "SELECT role, text FROM messages ORDER BY id");
        Assert.Contains(("assistant", UpgradeFixtureWriter.RememberedAnswer), before);

        await using var model = await FakeOpenAIServer.StartAsync();
        model.Enqueue(ScriptedReply.Answer("Jupiter has 95 known moons."), ScriptedReply.Answer("Your word was tangerine."));
        await using var host = await RunningHost.StartAsync(
            [$"--Moltworker:Llm:BaseUrl={model.BaseUrl}", "--Moltworker:Llm:Model=test-model", "--Moltworker:Knowledge:IngestSeedOnStart=false"], folder: folder);
        await host.EventuallyAsync(async () => (await host.HealthAsync()).Body, b => b.GetProperty("tasks").GetProperty("running").GetInt32() == 0,
            "the fixture's task to be resumed");
        Assert.Equal("Your word was tangerine.", (await host.ChatAsync("Which word did I ask you to remember?", "upgrade")).Text);
        Assert.Contains(model.Requests[^1].Messages, m => m.Content == UpgradeFixtureWriter.RememberedAnswer); // the old history reached the model

        // Read while the host still runs (WAL: a reader sees every commit); disposing the host deletes its folder.
        var database = Path.Combine(data, "moltworker.db");
        var after = await RowsAsync(database, "SELECT role, text FROM messages ORDER BY id");
        Assert.Equal(before, after.Take(before.Count)); // everything that was there still is, in order
        Assert.Single(after, r => r.Item2 == "Jupiter has 95 known moons.");
        Assert.Equal([("Completed", "3")], await RowsAsync(database, "SELECT status, COUNT(*) FROM tasks GROUP BY status"));
        Assert.Equal([("ok", "1")], await RowsAsync(database, "SELECT integrity_check, 1 FROM pragma_integrity_check"));
    }

    [Fact]
    public async Task A_database_from_a_newer_version_is_refused_with_a_clear_message_and_left_unchanged()
    {
        using var folder = new TempFolder();
        var data = folder.Sub("data");
        var database = Path.Combine(data, "moltworker.db");
        File.Copy(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Upgrade", "Fixtures"), "*.db").Order(StringComparer.Ordinal).Last(), database);
        await ExecAsync(database, "INSERT INTO schema_migrations (module, version, applied_at) VALUES ('core', 999, '2030-01-01T00:00:00Z')");
        var tasksBefore = await RowsAsync(database, "SELECT id, status FROM tasks ORDER BY id");

        var result = await HostProcess.RunAsync(["tasks", "list", $"--Moltworker:DataDirectory={data}"], new Dictionary<string, string>(), folder.Path);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("was written by a newer version of Moltworker: schema core v999", result.Stderr + result.Stdout);
        Assert.Contains("never migrated down", result.Stderr + result.Stdout);
        SqliteConnection.ClearAllPools();
        Assert.Equal([("core", "999")], await RowsAsync(database, "SELECT module, MAX(version) FROM schema_migrations WHERE module = 'core'"));
        Assert.Equal(tasksBefore, await RowsAsync(database, "SELECT id, status FROM tasks ORDER BY id"));
    }

    private static async Task ExecAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<(string, string)>> RowsAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync()) rows.Add((Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!, Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture)!));
        return rows;
    }
}
