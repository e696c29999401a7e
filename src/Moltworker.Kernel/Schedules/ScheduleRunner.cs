using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Kernel.Chat;
using Moltworker.Kernel.Events;

namespace Moltworker.Kernel.Schedules;

/// <summary>
/// Runs one due schedule. The run is the chat's own message: <see cref="IChatService"/> answers it as it answers a
/// person (a /command through the command runner, a prompt as a durable agent task with journal, budgets and events),
/// with a message id made of the schedule and its due time, so a run cut short by a crash joins its task at the next
/// start instead of starting a second one. The answer goes to the chat through the channel's <see cref="IChatDelivery"/>.
/// A run more than <see cref="SchedulesOptions.CatchUpWithin"/> late is skipped with a note; a failure is reported once
/// per failure streak.
/// </summary>
public sealed partial class ScheduleRunner(
    IChatService chat,
    IEnumerable<IChatDelivery> deliveries,
    IEventBus events,
    IOptions<SchedulesOptions> options,
    TimeProvider time,
    ILogger<ScheduleRunner> logger)
{
    private readonly Dictionary<string, IChatDelivery> _deliveries = deliveries.ToDictionary(d => d.Channel, StringComparer.OrdinalIgnoreCase);

    /// <summary>Runs (or skips) <paramref name="schedule"/>, due at its <see cref="Schedule.NextRunAt"/>, and says what to store.</summary>
    public async Task<ScheduleRunOutcome> RunAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var due = schedule.NextRunAt;
        var late = time.GetUtcNow() - due;
        if (late > options.Value.CatchUpWithin) return await SkipAsync(schedule, late, cancellationToken);

        var message = new IncomingMessage(schedule.Address, schedule.What) { MessageId = MessageId(schedule) };
        events.Publish(new ScheduleFired(TaskIds.For(schedule.Address, message.MessageId), schedule.Address, schedule.Id, due) { At = time.GetUtcNow() });
        LogFired(schedule.Id, due, late);
        ChatReply reply;
        try { reply = await chat.HandleAsync(message, cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex)
        {
            LogRunFailed(ex, schedule.Id);
            reply = new ChatReply($"the run failed: {ex.Message}", IsError: true);
        }
        var ended = time.GetUtcNow();
        var next = ScheduleOccurrences.AfterRun(schedule.Timing, due, ended);
        if (!reply.IsError)
        {
            await DeliverAsync(schedule, string.IsNullOrWhiteSpace(reply.Text) ? "(no answer)" : reply.Text, cancellationToken);
            return new ScheduleRunOutcome(next, ended, Error: null, FailureReported: false);
        }
        if (!schedule.FailureReported)
        {
            var again = next is null ? "" : " It stays scheduled; further failures are not reported until a run succeeds.";
            await DeliverAsync(schedule, $"Schedule {schedule.Id} ({schedule.What}) failed: {reply.Text}{again}", cancellationToken);
        }
        return new ScheduleRunOutcome(next, ended, reply.Text, FailureReported: true);
    }

    /// <summary>The stable message id of the run due at the schedule's <see cref="Schedule.NextRunAt"/>.</summary>
    public static string MessageId(Schedule schedule) => $"schedule:{schedule.Id}:{schedule.NextRunAt.ToUnixTimeMilliseconds()}";

    private async Task<ScheduleRunOutcome> SkipAsync(Schedule schedule, TimeSpan late, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = ScheduleOccurrences.AfterRun(schedule.Timing, schedule.NextRunAt, now);
        var zone = ScheduleOccurrences.Zone(schedule.Timing.TimeZone);
        var then = next is { } n ? $" Next run: {ScheduleText.Instant(n, zone)}." : " It was a one-off and is removed.";
        LogSkipped(schedule.Id, schedule.NextRunAt, late);
        await DeliverAsync(schedule, $"Skipped schedule {schedule.Id} ({schedule.What}) due {ScheduleText.Instant(schedule.NextRunAt, zone)}: " +
                                     $"it is {ScheduleText.Duration(late)} late, more than Moltworker:Schedules:CatchUpWithin " +
                                     $"({ScheduleText.Duration(options.Value.CatchUpWithin)}).{then}", cancellationToken);
        return new ScheduleRunOutcome(next, RanAt: schedule.LastRunAt, schedule.LastError, schedule.FailureReported);
    }

    private async Task DeliverAsync(Schedule schedule, string markdown, CancellationToken cancellationToken)
    {
        if (!_deliveries.TryGetValue(schedule.Address.Channel, out var delivery))
        {
            LogNoDelivery(schedule.Id, schedule.Address.Channel);
            return;
        }
        try { await delivery.DeliverAsync(schedule.Address, markdown, cancellationToken); }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
        catch (Exception ex) { LogDeliveryFailed(ex, schedule.Id, schedule.Address.Channel); }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId} fired (due {Due}, {Late} late)")]
    private partial void LogFired(string scheduleId, DateTimeOffset due, TimeSpan late);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId} skipped the run due {Due}: {Late} late, beyond Moltworker:Schedules:CatchUpWithin")]
    private partial void LogSkipped(string scheduleId, DateTimeOffset due, TimeSpan late);

    [LoggerMessage(Level = LogLevel.Error, Message = "Schedule {ScheduleId}'s run threw")]
    private partial void LogRunFailed(Exception ex, string scheduleId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: the {Channel} channel cannot start a message, so the answer stays in the task only")]
    private partial void LogNoDelivery(string scheduleId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: delivering to {Channel} failed; the answer stays in the task")]
    private partial void LogDeliveryFailed(Exception ex, string scheduleId, string channel);
}
