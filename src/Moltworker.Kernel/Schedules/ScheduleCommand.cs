using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Commands;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// <c>/schedule</c>: with no argument (or <c>list</c>) the chat's schedules with their next runs;
/// <c>add "&lt;when&gt;" &lt;command or prompt&gt;</c> adds one (the quotes may be left out when what runs is a
/// <c>/command</c>); <c>pause &lt;id&gt;</c> and <c>resume &lt;id&gt;</c> stop and restart one (resumed, it counts its next
/// run from then); <c>remove &lt;id&gt;</c> removes one. Refusals say why and store nothing.
/// </summary>
public sealed class ScheduleCommand(ScheduleService schedules) : IBuiltInCommand
{
    public const string Usage = "Usage: /schedule · /schedule add \"0 8 * * 1-5\" /briefing · /schedule add \"in 20 minutes\" Remind me to call Anna · /schedule pause <id> · /schedule resume <id> · /schedule remove <id>";

    public string Name => "schedule";
    public string Description => "List, add, pause, resume or remove this chat's scheduled runs";

    public async Task<ChatReply> RunAsync(string rest, ChatAddress address, CancellationToken cancellationToken)
    {
        rest = rest.Trim();
        var space = rest.IndexOf(' ');
        var verb = (space < 0 ? rest : rest[..space]).ToLowerInvariant();
        var argument = space < 0 ? "" : rest[(space + 1)..].Trim();
        try
        {
            return verb switch
            {
                "" or "list" => new ChatReply(ScheduleListing.List(await schedules.ListAsync(address, cancellationToken))),
                "add" => await AddAsync(argument, address, cancellationToken),
                "remove" or "rm" or "delete" or "cancel" => await RemoveAsync(argument, address, cancellationToken),
                "pause" => await PauseAsync(argument, address, cancellationToken),
                "resume" => await ResumeAsync(argument, address, cancellationToken),
                _ => new ChatReply($"Unknown /schedule action \"{verb}\". {Usage}", IsError: true),
            };
        }
        catch (ScheduleRefusedException ex) { return new ChatReply(ex.Message, IsError: true); }
    }

    private async Task<ChatReply> AddAsync(string argument, ChatAddress address, CancellationToken cancellationToken)
    {
        if (!TrySplit(argument, out var when, out var what)) return new ChatReply(Usage, IsError: true);
        var schedule = await schedules.AddAsync(address, when, null, what, cancellationToken);
        return new ChatReply($"Scheduled: {ScheduleListing.Line(schedule)}");
    }

    private async Task<ChatReply> RemoveAsync(string id, ChatAddress address, CancellationToken cancellationToken)
    {
        if (id.Length == 0) return new ChatReply(Usage, IsError: true);
        return await schedules.RemoveAsync(id, address, cancellationToken)
            ? new ChatReply($"Removed schedule {id}.")
            : NoSuch(id);
    }

    private async Task<ChatReply> PauseAsync(string id, ChatAddress address, CancellationToken cancellationToken)
    {
        if (id.Length == 0) return new ChatReply(Usage, IsError: true);
        return await schedules.PauseAsync(id, address, cancellationToken) is { } schedule
            ? new ChatReply($"Paused: {ScheduleListing.Line(schedule)}. /schedule resume {schedule.Id} runs it again.")
            : NoSuch(id);
    }

    private async Task<ChatReply> ResumeAsync(string id, ChatAddress address, CancellationToken cancellationToken)
    {
        if (id.Length == 0) return new ChatReply(Usage, IsError: true);
        return await schedules.ResumeAsync(id, address, cancellationToken) is { } schedule
            ? new ChatReply($"Resumed: {ScheduleListing.Line(schedule)}")
            : NoSuch(id);
    }

    private static ChatReply NoSuch(string id) => new($"This chat has no schedule {id}; /schedule lists them.", IsError: true);

    /// <summary>"\"0 8 * * 1-5\" /briefing" or "every 20m /briefing" (up to the first /command): when, then what.</summary>
    private static bool TrySplit(string argument, out string when, out string what)
    {
        when = what = "";
        if (argument.StartsWith('"'))
        {
            var close = argument.IndexOf('"', 1);
            if (close < 0) return false;
            when = argument[1..close];
            what = argument[(close + 1)..].Trim();
        }
        else
        {
            var command = argument.IndexOf(" /", StringComparison.Ordinal);
            if (command < 0) return false;
            when = argument[..command];
            what = argument[(command + 1)..].Trim();
        }
        return when.Trim().Length > 0 && what.Length > 0;
    }
}
