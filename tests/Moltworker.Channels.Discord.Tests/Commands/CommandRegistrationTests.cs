using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Moltworker.Channels.Discord.Commands;
using Moltworker.Channels.Discord.Tests.Support;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Commands.Registration;
using Moltworker.Testing.Discord;

namespace Moltworker.Channels.Discord.Tests.Commands;

public sealed class CommandRegistrationTests
{
    private static readonly string SnapshotPath = Path.Combine(AppContext.BaseDirectory, "Commands", "Snapshots", "sample-commands.json");

    private static CommandRegistrar Registrar(RestHarness h, FakeCommandCatalog catalog, MemoryKeyValueStore store,
        Microsoft.Extensions.Logging.ILogger<CommandRegistrar>? logger = null)
    {
        var options = Microsoft.Extensions.Options.Options.Create(h.Options);
        return new(new DiscordCommandTarget(new DiscordCommandRegistry(catalog), h.Client, options), store, h.Time,
            Microsoft.Extensions.Options.Options.Create(new CommandRegistrationOptions()), options,
            logger ?? NullLogger<CommandRegistrar>.Instance);
    }

    [Fact]
    public async Task The_json_sent_for_the_sample_plugin_matches_the_snapshot()
    {
        await using var h = await RestHarness.StartAsync();
        var sent = await Registrar(h, new FakeCommandCatalog(ToolFunctions.Catalog(new SampleToolsPlugin())), new MemoryKeyValueStore())
            .RegisterAsync(CancellationToken.None);
        Assert.True(sent);

        var request = Assert.Single(h.Server.Rest.Where("PUT", $"applications/{RestHarness.ApplicationId}/commands"));
        var actual = JsonNode.Parse(request.Body)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
            await File.WriteAllTextAsync(Path.Combine(SourceDir(), "Snapshots", "sample-commands.json"), actual + "\n");
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(SnapshotPath))!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        Assert.Equal(expected, actual);
    }

    private static string SourceDir([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    [Fact]
    public async Task An_unchanged_set_is_not_registered_again_but_a_changed_one_is()
    {
        await using var h = await RestHarness.StartAsync();
        var store = new MemoryKeyValueStore();
        var catalog = new FakeCommandCatalog(ToolFunctions.Catalog(new SampleToolsPlugin()));
        var registrar = Registrar(h, catalog, store);

        Assert.True(await registrar.RegisterAsync(CancellationToken.None));
        // A restart: new registry and registrar, same durable store.
        Assert.False(await Registrar(h, catalog, store).RegisterAsync(CancellationToken.None));
        Assert.Single(h.Server.Rest.Where("PUT", "/commands"));

        catalog.Replace(ToolFunctions.Catalog(new SampleToolsPlugin()).Take(5).ToList());
        Assert.True(await registrar.RegisterAsync(CancellationToken.None));
        Assert.Equal(2, h.Server.Rest.Where("PUT", "/commands").Count);
        Assert.Single(store.Values);
    }

    [Fact]
    public async Task With_a_guild_id_commands_go_to_the_guild()
    {
        await using var h = await RestHarness.StartAsync();
        h.Options.GuildId = "777";
        await Registrar(h, new FakeCommandCatalog([]), new MemoryKeyValueStore()).RegisterAsync(CancellationToken.None);
        var put = Assert.Single(h.Server.Rest.Where("PUT", "/commands"));
        Assert.Equal($"applications/{RestHarness.ApplicationId}/guilds/777/commands", put.Path);
        Assert.Equal(["ask", "reset", "status"], put.Json!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_background_service_registers_again_when_plugins_change()
    {
        await using var h = await RestHarness.StartAsync();
        var catalog = new FakeCommandCatalog([]);
        var registrar = Registrar(h, catalog, new MemoryKeyValueStore());
        await registrar.StartAsync(CancellationToken.None);
        try
        {
            await h.Server.Rest.WaitForAsync("PUT", "/commands");
            catalog.Replace(ToolFunctions.Catalog(new SampleToolsPlugin()));
            var second = await h.Server.Rest.WaitForAsync(r => r.Is("PUT", "/commands") && r.Index > 0);
            Assert.Contains(second.Json!.AsArray(), c => c!["name"]!.GetValue<string>() == "get_weather");
        }
        finally { await registrar.StopAsync(CancellationToken.None); }
    }

    [Fact]
    public async Task The_same_set_is_registered_again_for_another_application()
    {
        await using var h = await RestHarness.StartAsync();
        var store = new MemoryKeyValueStore();
        var catalog = new FakeCommandCatalog(ToolFunctions.Catalog(new SampleToolsPlugin()));
        Assert.True(await Registrar(h, catalog, store).RegisterAsync(CancellationToken.None));

        // The same durable store, the same commands, another application (a new bot): it must get them too.
        h.Options.ApplicationId = "4343";
        Assert.True(await Registrar(h, catalog, store).RegisterAsync(CancellationToken.None));
        Assert.Single(h.Server.Rest.Where("PUT", "applications/4343/commands"));
        Assert.Equal(["discord:commands:4242:global", "discord:commands:4343:global"], store.Values.Keys.Order());

        // Back to the first application: its set is unchanged, nothing is sent.
        h.Options.ApplicationId = RestHarness.ApplicationId;
        Assert.False(await Registrar(h, catalog, store).RegisterAsync(CancellationToken.None));
        Assert.Equal(2, h.Server.Rest.Where("PUT", "/commands").Count);
    }

    [Fact]
    public async Task A_failed_registration_is_retried_with_backoff_instead_of_waiting_for_the_next_change()
    {
        await using var h = await RestHarness.StartAsync();
        h.Server.Rest.Enqueue("PUT", "/commands", new FakeResponse(500, """{"message":"boom","code":0}"""));
        h.Server.Rest.Enqueue("PUT", "/commands", new FakeResponse(502, """{"message":"bad gateway","code":0}"""));
        var logs = new CapturingLoggerProvider();
        var registrar = Registrar(h, new FakeCommandCatalog([]), new MemoryKeyValueStore(), new Microsoft.Extensions.Logging.Logger<CommandRegistrar>(
            new Microsoft.Extensions.Logging.LoggerFactory([logs])));
        await registrar.StartAsync(CancellationToken.None);
        try
        {
            for (var failure = 0; failure < 2; failure++)
            {
                await h.Server.Rest.WaitForAsync(r => r.Is("PUT", "/commands") && r.Index == failure);
                var delay = await h.Time.WaitForTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(5));
                h.Time.Advance(delay);
            }
            await h.Server.Rest.WaitForAsync(r => r.Is("PUT", "/commands") && r.Index == 2);
            await registrar.FirstPass.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(3, h.Server.Rest.Where("PUT", "/commands").Count);
            Assert.Single(logs.Lines, l => l.Contains("command registration failed (", StringComparison.Ordinal));
            Assert.Contains(logs.Lines, l => l.Contains("succeeded after 2 failed attempts", StringComparison.Ordinal));
        }
        finally { await registrar.StopAsync(CancellationToken.None); }
    }
}
