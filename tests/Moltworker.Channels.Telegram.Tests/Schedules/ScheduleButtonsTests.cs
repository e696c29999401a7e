using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Channels.Telegram.Tests.Fakes;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Testing.Telegram;
using Moltworker.Testing.Time;

namespace Moltworker.Channels.Telegram.Tests.Schedules;

/// <summary>The inline buttons under <c>/schedule</c>'s list, over the in-test Bot API: Pause pauses and Remove removes
/// (each press answered and the list message edited to the new state); forged data, a schedule of another chat and a
/// person not on the allow lists change nothing.</summary>
public sealed class ScheduleButtonsTests : IAsyncLifetime
{
    private const long Chat = 921;
    private const long OtherChat = 922;
    private const long Allowed = 63;
    private TelegramBotApiServer _telegram = null!;

    public async Task InitializeAsync() => _telegram = await TelegramBotApiServer.StartAsync();

    public async Task DisposeAsync() => await _telegram.DisposeAsync();

    [Fact]
    public async Task Pause_and_remove_buttons_change_the_chats_schedules_and_edit_the_list_and_nothing_else_gets_through()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
        await using var host = await TelegramTestHost.StartAsync(_telegram,
            new Dictionary<string, string?> { ["Moltworker:Telegram:AllowedUserIds:0"] = Allowed.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            configure: s => s.AddSingleton<TimeProvider>(time).AddSchedules(new ConfigurationBuilder().Build()));
        var schedules = host.Services.GetRequiredService<ScheduleService>();
        var chat = new ChatAddress("telegram", "921");
        var first = await schedules.AddAsync(chat, "every 1h", null, "/echo_text one", default);
        var second = await schedules.AddAsync(chat, "every 2h", null, "/echo_text two", default);
        var elsewhere = await schedules.AddAsync(new ChatAddress("telegram", "922"), "every 1h", null, "/echo_text other", default);

        _telegram.EnqueueText(Chat, Allowed, "/schedule");
        await _telegram.WaitUntilAsync(s => s.Messages(Chat).Count == 1);
        var list = _telegram.Messages(Chat)[0];
        Assert.Contains($"{first.Id} · every 1h · /echo_text one · next", list.Text, StringComparison.Ordinal);
        foreach (var data in new[] { $"sch:{first.Id}:p", $"sch:{first.Id}:d", $"sch:{second.Id}:p", $"sch:{second.Id}:d" })
            Assert.Contains($"\"{data}\"", list.ReplyMarkup, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Id, list.ReplyMarkup, StringComparison.Ordinal);

        Press(Allowed, list.MessageId, $"sch:{first.Id}:p");
        await _telegram.WaitUntilAsync(s => s.CallbackAnswers.Count == 1);
        Assert.Equal($"Paused {first.Id}.", _telegram.CallbackAnswers[0].Text);
        Assert.True((await schedules.FindAsync(first.Id, chat, default))!.IsPaused);
        await _telegram.WaitUntilAsync(s => s.Messages(Chat)[0].Edits == 1);
        var edited = _telegram.Messages(Chat)[0];
        Assert.StartsWith($"Paused {first.Id}. (by User{Allowed})", edited.Text, StringComparison.Ordinal);
        Assert.Contains($"{first.Id} · every 1h · /echo_text one · paused", edited.Text, StringComparison.Ordinal);
        Assert.Contains($"\"sch:{first.Id}:r\"", edited.ReplyMarkup, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"sch:{first.Id}:p\"", edited.ReplyMarkup, StringComparison.Ordinal);

        Press(Allowed, list.MessageId, $"sch:{second.Id}:d");
        await _telegram.WaitUntilAsync(s => s.CallbackAnswers.Count == 2 && s.Messages(Chat)[0].Edits == 2);
        Assert.Equal($"Removed {second.Id}.", _telegram.CallbackAnswers[1].Text);
        Assert.Null(await schedules.FindAsync(second.Id, null, default));
        Assert.DoesNotContain(second.Id, _telegram.Messages(Chat)[0].ReplyMarkup, StringComparison.Ordinal);
        Assert.DoesNotContain($"{second.Id} ·", _telegram.Messages(Chat)[0].Text, StringComparison.Ordinal);

        // Forged data, another chat's schedule, and someone the allow lists do not let in: answered, nothing changes.
        Press(Allowed, list.MessageId, "sch:../etc:p");
        Press(Allowed, list.MessageId, $"sch:{first.Id}:x");
        Press(Allowed, list.MessageId, $"sch:{elsewhere.Id}:d");
        Press(99, list.MessageId, $"sch:{first.Id}:d");
        await _telegram.WaitUntilAsync(s => s.CallbackAnswers.Count == 6);
        Assert.Equal(["This button does nothing here.", "This button does nothing here.", $"This chat has no schedule {elsewhere.Id}.",
                "You may not change this chat's schedules."],
            _telegram.CallbackAnswers.Skip(2).Select(a => a.Text));
        Assert.NotNull(await schedules.FindAsync(elsewhere.Id, null, default));
        Assert.True((await schedules.FindAsync(first.Id, chat, default))!.IsPaused);
        Assert.Equal(2, _telegram.Messages(Chat)[0].Edits);
        Assert.Empty(_telegram.Messages(OtherChat));
    }

    private void Press(long user, long messageId, string data) => _telegram.EnqueueUpdate(_telegram.CallbackUpdate(Chat, user, messageId, data));
}
