using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;

namespace Moltworker.Host.Cli;

/// <summary><c>moltworker schedules list | add --channel telegram --chat 42 --when "0 8 * * 1-5" --what /briefing |
/// pause &lt;id&gt; | resume &lt;id&gt; | remove &lt;id&gt;</c>:
/// the schedules in the store, with the checks of <c>/schedule</c>. A running host sees a schedule added here within a
/// minute (<see cref="Scheduler.MaxSleep"/>).</summary>
public sealed class SchedulesVerb : ICliVerb
{
    public Command Build(CliHost host)
    {
        var channel = new Option<string?>("--channel") { Description = "The chat's channel (telegram, discord, http)" };
        var chat = new Option<string?>("--chat") { Description = "The chat's id on that channel" };
        var list = new Command("list", "List schedules, soonest first (every chat, or one with --channel and --chat)") { channel, chat };
        list.SetAction(async (parse, ct) =>
        {
            var (c, id) = (parse.GetValue(channel), parse.GetValue(chat));
            if ((c is null) != (id is null)) throw new CliUsageException("give both --channel and --chat, or neither");
            using var app = await host.CreateAsync(ct);
            var table = new CliTable("ID", "CHAT", "WHEN", "WHAT", "NEXT RUN (UTC)", "LAST ERROR");   // NEXT RUN says "paused" for a paused one
            foreach (var s in await app.Services.GetRequiredService<ScheduleService>().ListAsync(c is null ? null : new ChatAddress(c, id!), ct))
                table.AddRow(s.Id, s.Address.ConversationKey, s.Timing.ToString(), s.What, s.IsPaused ? "paused" : Time(s.NextRunAt), s.LastError ?? "");
            table.Print();
            return 0;
        });

        var addChannel = new Option<string>("--channel") { Description = "The chat's channel (telegram, discord, http)", Required = true };
        var addChat = new Option<string>("--chat") { Description = "The chat's id on that channel", Required = true };
        var user = new Option<string?>("--user") { Description = "The user the runs act for (optional)" };
        var when = new Option<string>("--when") { Description = "A cron expression (\"0 8 * * 1-5\"), \"every 20m\", \"in 20 minutes\" or a time (\"2026-12-24 18:00\")", Required = true };
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone of a cron expression or a time (default: Moltworker:Schedules:DefaultTimeZone)" };
        var what = new Option<string>("--what") { Description = "The /command or the prompt to run", Required = true };
        var add = new Command("add", "Add a schedule to a chat") { addChannel, addChat, user, when, zone, what };
        add.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            try
            {
                var address = new ChatAddress(parse.GetValue(addChannel)!, parse.GetValue(addChat)!, parse.GetValue(user));
                var schedule = await app.Services.GetRequiredService<ScheduleService>()
                    .AddAsync(address, parse.GetValue(when)!, parse.GetValue(zone), parse.GetValue(what)!, ct);
                Console.WriteLine(ScheduleListing.Line(schedule));
                return 0;
            }
            catch (ScheduleRefusedException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });

        var removeId = new Argument<string>("id") { Description = "The schedule's id (from schedules list)" };
        var remove = new Command("remove", "Remove a schedule") { removeId };
        remove.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var id = parse.GetValue(removeId)!;
            if (!await app.Services.GetRequiredService<ScheduleService>().RemoveAsync(id, null, ct))
            {
                await Console.Error.WriteLineAsync($"error: there is no schedule {id}");
                return 1;
            }
            Console.WriteLine($"Schedule {id} removed.");
            return 0;
        });

        var pause = PauseOrResume(host, "pause", "Pause a schedule: it does not run (nor catch up) until resumed",
            (schedules, id, ct) => schedules.PauseAsync(id, null, ct));
        var resume = PauseOrResume(host, "resume", "Resume a paused schedule; its next run is counted from now",
            (schedules, id, ct) => schedules.ResumeAsync(id, null, ct));

        return new Command("schedules", "Scheduled runs of chat commands and prompts: list, add, pause, resume, remove. Docs: docs/schedules.md") { list, add, pause, resume, remove };
    }

    private static Command PauseOrResume(CliHost host, string name, string description, Func<ScheduleService, string, CancellationToken, Task<Schedule?>> change)
    {
        var scheduleId = new Argument<string>("id") { Description = "The schedule's id (from schedules list)" };
        var command = new Command(name, description) { scheduleId };
        command.SetAction(async (parse, ct) =>
        {
            using var app = await host.CreateAsync(ct);
            var id = parse.GetValue(scheduleId)!;
            try
            {
                if (await change(app.Services.GetRequiredService<ScheduleService>(), id, ct) is not { } schedule)
                {
                    await Console.Error.WriteLineAsync($"error: there is no schedule {id}");
                    return 1;
                }
                Console.WriteLine(ScheduleListing.Line(schedule));
                return 0;
            }
            catch (ScheduleRefusedException ex)
            {
                await Console.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
