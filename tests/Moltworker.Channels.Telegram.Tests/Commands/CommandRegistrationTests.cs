using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moltworker.Channels.Telegram.Commands;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Plugins;
using Moltworker.Kernel.State;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.Commands;

/// <summary>setMyCommands through the host (kernel catalogs, SQLite key-value store) against the in-test Bot API.</summary>
public sealed class CommandRegistrationTests
{
    private static CommandRegistrar Registrar(TelegramTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<CommandRegistrar>().Single();

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "moltworker-telegram-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_second_bot_with_the_same_commands_is_registered_too()
    {
        await using var first = await TelegramBotApiServer.StartAsync();
        await using var second = await TelegramBotApiServer.StartAsync("987654321:BBH-second_TOKEN-do-not-log-9876543210", "molt_second_bot", 987_654_321);
        var data = NewDataDirectory();
        await using (var host = await TelegramTestHost.StartAsync(first, dataDirectory: data))
            await Registrar(host).FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, first.Calls("setMyCommands"));

        // The same data directory and commands, a new bot token: the new bot has no commands yet and must get them.
        await using (var host = await TelegramTestHost.StartAsync(second, dataDirectory: data))
        {
            await Registrar(host).FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(1, second.Calls("setMyCommands"));
            var store = host.Services.GetRequiredService<IKeyValueStore>();
            Assert.NotNull(await store.GetAsync(TelegramCommandTarget.HashKeyPrefix + first.BotId, default));
            Assert.NotNull(await store.GetAsync(TelegramCommandTarget.HashKeyPrefix + second.BotId, default));
        }
        Assert.Equal(first.Commands, second.Commands);
        Assert.Contains(second.Commands, c => c.Command == "echo_text");

        // Back to the first bot: its list is unchanged and stored under its own id, so nothing is sent.
        await using (var host = await TelegramTestHost.StartAsync(first, dataDirectory: data))
            await Registrar(host).FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, first.Calls("setMyCommands"));
    }

    [Fact]
    public async Task Commands_are_registered_again_when_plugins_change()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        await using var host = await TelegramTestHost.StartAsync(telegram, configure: s =>
        {
            s.AddSingleton<SwitchablePluginSource>();
            s.AddSingleton<IPluginSource>(sp => sp.GetRequiredService<SwitchablePluginSource>());
        });
        await Registrar(host).FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, telegram.Calls("setMyCommands"));
        Assert.DoesNotContain(telegram.Commands, c => c.Command == "late_tool");

        var plugins = host.Services.GetRequiredService<SwitchablePluginSource>();
        plugins.Load(typeof(LateArrivalPlugin));
        await telegram.WaitUntilAsync(s => s.Commands.Any(c => c.Command == "late_tool"));
        Assert.Equal(2, telegram.Calls("setMyCommands"));
        Assert.Contains(telegram.Commands, c => c.Command == "echo_text");

        plugins.UnloadAll();
        await telegram.WaitUntilAsync(s => s.Commands.All(c => c.Command != "late_tool"));
        Assert.Equal(3, telegram.Calls("setMyCommands"));
    }

    [Fact]
    public async Task A_failing_setMyCommands_is_retried_with_backoff_and_logged_once_per_streak()
    {
        await using var telegram = await TelegramBotApiServer.StartAsync();
        var time = new FakeTimeProvider();
        telegram.InjectFault("setMyCommands", new InjectedFault(502, "Bad Gateway"));
        telegram.InjectFault("setMyCommands", new InjectedFault(429, "Too Many Requests: retry after 7", RetryAfter: 7));
        telegram.InjectFault("setMyCommands", new InjectedFault(400, "Bad Request: BOT_COMMAND_INVALID"));
        await using var host = await TelegramTestHost.StartAsync(telegram, configure: s => s.AddSingleton<TimeProvider>(time));

        var backoff = await time.WaitForTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(5));
        Assert.Equal(1, telegram.Calls("setMyCommands"));
        time.Advance(backoff);
        Assert.Equal(TimeSpan.FromSeconds(7), await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(7)));
        Assert.Equal(2, telegram.Calls("setMyCommands"));
        time.Advance(TimeSpan.FromSeconds(7));
        // A 400 is not given up on either (a plugin may be fixed, Telegram may change its mind): it backs off too.
        backoff = await time.WaitForTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(5));
        Assert.Equal(3, telegram.Calls("setMyCommands"));
        time.Advance(backoff);

        await Registrar(host).FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(4, telegram.Calls("setMyCommands"));
        Assert.Contains(telegram.Commands, c => c.Command == "echo_text");
        Assert.Single(host.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("command registration failed", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Lines, l => l.Contains("Telegram command registration succeeded after 3 failed attempts", StringComparison.Ordinal));
    }
}
