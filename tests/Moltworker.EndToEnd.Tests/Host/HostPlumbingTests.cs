using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Moltworker.EndToEnd.Tests.Hosting;
using Moltworker.Host.Composition;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.EndToEnd.Tests.Host;

/// <summary>What keeps the host's request path short: no file watcher over the data folder, WAL checkpoints in the
/// background, and the turn time reported to the client.</summary>
public sealed class HostPlumbingTests
{
    [Fact]
    public async Task Settings_files_are_polled_so_database_writes_wake_no_watcher()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var root = (IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>();
        var reloading = root.Providers.OfType<JsonConfigurationProvider>().Where(p => p.Source.ReloadOnChange).ToList();
        Assert.NotEmpty(reloading);   // appsettings.json still reloads when edited…
        // …by polling: with active polling on, PhysicalFileProvider creates no FileSystemWatcher over the content root.
        Assert.All(reloading, p => Assert.True(p.Source.FileProvider is PhysicalFileProvider { UseActivePolling: true }, p.Source.Path));
    }

    [Fact]
    public void The_shipped_settings_are_a_source_only_when_started_from_another_folder()
    {
        var elsewhere = new ConfigurationManager();
        var before = elsewhere.Sources.Count;
        elsewhere.AddShippedDefaults(Path.GetTempPath());
        Assert.Equal(before + 1, elsewhere.Sources.Count);
        var shipped = Assert.IsType<JsonConfigurationSource>(elsewhere.Sources[0]);
        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory),
            Path.TrimEndingDirectorySeparator(Assert.IsType<PhysicalFileProvider>(shipped.FileProvider).Root));

        var installFolder = new ConfigurationManager(); // the content root's appsettings.json is that same file
        installFolder.AddShippedDefaults(AppContext.BaseDirectory + Path.DirectorySeparatorChar);
        Assert.Equal(before, installFolder.Sources.Count);
        Assert.DoesNotContain(installFolder.Sources, source => source is JsonConfigurationSource);
    }

    [Theory]
    [InlineData(null, -128L)]
    [InlineData("1024", -1024L)]
    public async Task Connections_to_the_database_use_the_configured_page_cache(string? setting, long expected)
    {
        await using var host = await RunningHost.StartAsync([.. RunningHost.NoModel, .. setting is null ? [] : new[] { $"--Moltworker:SqliteCacheKb={setting}" }]);
        var db = host.Services.GetRequiredService<SqliteDatabase>();
        var pages = await db.RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA cache_size";
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(expected, pages);
    }

    [Fact]
    public async Task Commits_leave_wal_checkpoints_to_the_background_service()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        var db = host.Services.GetRequiredService<SqliteDatabase>();
        Assert.True(db.CheckpointsInBackground);
        var pages = await db.RunAsync(async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint";
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(0, pages);
    }

    [Fact]
    public async Task Chat_api_reports_the_turn_time_in_server_timing()
    {
        await using var host = await RunningHost.StartAsync(RunningHost.NoModel);
        using var response = await host.Http.PostAsJsonAsync("/api/chat", new { chatId = "t", text = "/help" });
        response.EnsureSuccessStatusCode();
        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^turn;dur=\d+(\.\d+)?$", timing);
    }
}
