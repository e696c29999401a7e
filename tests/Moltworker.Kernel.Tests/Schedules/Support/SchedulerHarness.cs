using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moltworker.Testing.Time;
using Moltworker.Kernel.Events;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Options;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Sqlite.Database;
using Moltworker.Storage.Sqlite.Schedules;

namespace Moltworker.Kernel.Tests.Schedules.Support;

/// <summary>
/// A scheduler over a real SQLite file and a fake clock. <see cref="StartHostAsync"/> and <see cref="StopHostAsync"/>
/// model a host process: the file (and so the schedules) outlives it, the scheduler (with its claim owner) does not.
/// </summary>
public sealed class SchedulerHarness : IAsyncDisposable
{
    public static readonly ChatAddress Chat = new("test", "42", "7");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "moltworker-schedule-tests", Guid.NewGuid().ToString("N"));

    public SchedulerHarness(DateTimeOffset start, SchedulesOptions? options = null)
    {
        Time = new FakeTimeProvider(start);
        Options = options ?? new SchedulesOptions();
        var db = new SqliteDatabase(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = _dir }), [.. CoreMigrations.All, .. ScheduleMigrations.All]);
        Store = new SqliteScheduleStore(db);
        Service = new ScheduleService(Store, new ScheduleTimingParser(Options), Changes, Microsoft.Extensions.Options.Options.Create(Options), Time);
        Events.Subscribe(e => { if (e is ScheduleFired fired) Fired.Add(fired); });
    }

    public FakeTimeProvider Time { get; }
    public SchedulesOptions Options { get; }
    public SqliteScheduleStore Store { get; }
    public ScheduleChanges Changes { get; } = new();
    public ScheduleService Service { get; }
    public RecordingChat ChatService { get; } = new();
    public RecordingDelivery Delivery { get; } = new();
    public EventBus Events { get; } = new(NullLogger<EventBus>.Instance);
    public List<ScheduleFired> Fired { get; } = [];
    public Scheduler? Scheduler { get; private set; }
    public RunCountingStore? Runs { get; private set; }

    /// <summary>Starts a scheduler (a new process) and waits until it sleeps with its plan made.</summary>
    public async Task StartHostAsync()
    {
        var runner = new ScheduleRunner(ChatService, [Delivery], Events, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<ScheduleRunner>.Instance);
        Runs = new RunCountingStore(Store); // a new process: the runs of the last one are not waited for
        Scheduler = new Scheduler(Runs, runner, Changes, Time, NullLogger<Scheduler>.Instance);
        await Scheduler.StartAsync(CancellationToken.None);
        await AsleepAsync();
    }

    public async Task StopHostAsync()
    {
        if (Scheduler is null) return;
        await Scheduler.StopAsync(CancellationToken.None);
        Scheduler.Dispose();
        Scheduler = null;
    }

    /// <summary>Waits until the scheduler sleeps (everything due has been started and the next wake-up is planned).</summary>
    public Task AsleepAsync() => Scheduler!.Asleep.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Waits until every run the scheduler started has written its result, and then until it sleeps. After a
    /// delivery, not <see cref="AsleepAsync"/>: a run delivers before it writes, and the scheduler may still be asleep
    /// from before it (it sleeps once everything due has started).</summary>
    public async Task RunsDoneAsync()
    {
        while (true)
        {
            var next = Runs!.NextWritten;
            if (Runs.AllWritten) break;
            await next.WaitAsync(TimeSpan.FromSeconds(30));
        }
        await AsleepAsync();
    }

    /// <summary>Moves the clock once the scheduler sleeps, then waits until it sleeps again.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        await AsleepAsync();
        Time.Advance(by);
        await Task.Yield();
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
