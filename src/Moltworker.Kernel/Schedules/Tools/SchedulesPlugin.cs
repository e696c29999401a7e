using System.ComponentModel;
using Microsoft.SemanticKernel;
using Moltworker.Abstractions;
using Moltworker.Kernel.Filters;

namespace Moltworker.Kernel.Schedules.Tools;

/// <summary>
/// <c>schedule_task</c>, <c>list_schedules</c>, <c>pause_schedule</c>, <c>resume_schedule</c> and <c>cancel_schedule</c>: the model schedules for the user ("remind me in
/// 20 minutes to call Anna" is a one-off run of a prompt) in the chat the call comes from. Scheduling, pausing,
/// resuming and cancelling change what will happen later, so they are side-effecting and the approval policy applies to them.
/// </summary>
[Plugin("Schedules", Description = "Schedule runs of a command or a prompt in this chat: reminders, recurring briefings.")]
public sealed class SchedulesPlugin(ScheduleService schedules)
{
    [KernelFunction("schedule_task")]
    [ToolSafety(SideEffects = true)]
    [Description("Schedules a run in this chat: a chat command (\"/briefing\") or a prompt that is answered then " +
                 "(for a reminder: \"Remind the user to call Anna\"). Returns the schedule's id and next run.")]
    public async Task<string> ScheduleTaskAsync(
        [Description("What to run: a /command, or a prompt for the assistant.")] string what,
        [Description("When: \"in 20 minutes\", \"every 1h\", a cron expression like \"0 8 * * 1-5\", or a time like \"2026-12-24 18:00\".")] string when,
        ToolContext context,
        [Description("IANA time zone of a cron expression or a time, e.g. \"Europe/Oslo\". Empty: the configured default.")] string? timeZone = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var schedule = await schedules.AddAsync(Chat(context), when, timeZone, what, cancellationToken);
            return $"Scheduled: {ScheduleListing.Line(schedule)}";
        }
        catch (ScheduleRefusedException ex) { throw new ToolException(ex.Message); }
    }

    [KernelFunction("list_schedules")]
    [ToolSafety(SideEffects = false, ParallelSafe = true)]
    [Description("Lists this chat's schedules with their ids and next runs.")]
    public async Task<string> ListSchedulesAsync(ToolContext context, CancellationToken cancellationToken = default) =>
        ScheduleListing.List(await schedules.ListAsync(Chat(context), cancellationToken));

    [KernelFunction("cancel_schedule")]
    [ToolSafety(SideEffects = true)]
    [Description("Cancels one of this chat's schedules by its id (from list_schedules).")]
    public async Task<string> CancelScheduleAsync(
        [Description("The schedule's id.")] string id,
        ToolContext context,
        CancellationToken cancellationToken = default) =>
        await schedules.RemoveAsync(id, Chat(context), cancellationToken)
            ? $"Schedule {id} cancelled."
            : throw new ToolException($"This chat has no schedule {id}; list_schedules shows the ids.");

    [KernelFunction("pause_schedule")]
    [ToolSafety(SideEffects = true)]
    [Description("Pauses one of this chat's schedules by its id: it does not run until resumed.")]
    public async Task<string> PauseScheduleAsync(
        [Description("The schedule's id.")] string id,
        ToolContext context,
        CancellationToken cancellationToken = default) =>
        await schedules.PauseAsync(id, Chat(context), cancellationToken) is { } schedule
            ? $"Paused: {ScheduleListing.Line(schedule)}"
            : throw new ToolException($"This chat has no schedule {id}; list_schedules shows the ids.");

    [KernelFunction("resume_schedule")]
    [ToolSafety(SideEffects = true)]
    [Description("Resumes one of this chat's paused schedules by its id; its next run is counted from now.")]
    public async Task<string> ResumeScheduleAsync(
        [Description("The schedule's id.")] string id,
        ToolContext context,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await schedules.ResumeAsync(id, Chat(context), cancellationToken) is { } schedule
                ? $"Resumed: {ScheduleListing.Line(schedule)}"
                : throw new ToolException($"This chat has no schedule {id}; list_schedules shows the ids.");
        }
        catch (ScheduleRefusedException ex) { throw new ToolException(ex.Message); }
    }

    private static ChatAddress Chat(ToolContext context) =>
        context is { Channel: { } channel, ChatId: { } chatId } ? new ChatAddress(channel, chatId, context.UserId)
            : throw new ToolException("Schedules belong to a chat, and this call comes from none.");
}
