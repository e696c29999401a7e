using Microsoft.Extensions.Logging;
using Moltworker.Kernel.Commands.Registration;
using Moltworker.Testing.Time;

namespace Moltworker.Kernel.Tests.Commands.Registration;

public sealed class CommandRegistrationLoopTests
{
    private static readonly CommandRegistrationOptions Backoff = new() { RetryBaseDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(10) };

    private static CommandRegistrationLoop<IReadOnlyList<string>> Loop(FakeRegistrationTarget target, MemoryStore store, TimeProvider? time = null, ILogger? logger = null) =>
        new(target, store, time ?? new FakeTimeProvider(), Backoff, logger ?? new ListLogger());

    [Fact]
    public async Task An_unchanged_list_is_not_sent_again_for_the_same_identity()
    {
        var store = new MemoryStore();
        var target = new FakeRegistrationTarget("help", "status");
        Assert.True(await Loop(target, store).RegisterOnceAsync(default));
        // A restart: a new loop over the same durable store.
        Assert.False(await Loop(target, store).RegisterOnceAsync(default));

        Assert.Single(target.Registered);
        var (key, hash) = Assert.Single(store.Values);
        Assert.Equal("fake:commands:bot-1", key);
        Assert.Equal(CommandRegistrationLoop<IReadOnlyList<string>>.Hash("help\nstatus"), hash);
    }

    [Fact]
    public async Task The_same_list_is_sent_for_another_identity()
    {
        var store = new MemoryStore();
        var target = new FakeRegistrationTarget("help", "status");
        Assert.True(await Loop(target, store).RegisterOnceAsync(default));
        target.Identity = "bot-2";
        Assert.True(await Loop(target, store).RegisterOnceAsync(default));
        target.Identity = "bot-1";
        Assert.False(await Loop(target, store).RegisterOnceAsync(default));
        Assert.Equal(2, target.Registered.Count);
    }

    [Fact]
    public async Task Changes_are_sent_and_a_change_event_without_a_change_sends_nothing()
    {
        var target = new FakeRegistrationTarget("help");
        var loop = Loop(target, new MemoryStore());
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);
        await loop.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));

        target.Change("help", "weather");
        await target.WaitForRegistrationsAsync(2);
        target.Touch();
        target.Change("help", "weather", "news");
        await target.WaitForRegistrationsAsync(3);
        target.Touch();
        target.Touch();
        target.Change("help");
        await target.WaitForRegistrationsAsync(4);

        Assert.Equal([["help"], ["help", "weather"], ["help", "weather", "news"], ["help"]], target.Registered);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Failures_are_retried_forever_with_capped_backoff_and_one_warning_per_streak()
    {
        var time = new FakeTimeProvider { AutoAdvance = true };
        var logger = new ListLogger();
        var target = new FakeRegistrationTarget("help");
        target.FailNext(40, () => new HttpRequestException("connection refused"));
        var loop = Loop(target, new MemoryStore(), time, logger);
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);

        await loop.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(41, target.Attempts);
        Assert.Single(target.Registered);
        var delays = time.RequestedDelays;
        Assert.Equal(40, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, Backoff.RetryMaxDelay));
        Assert.Contains(delays, d => d > TimeSpan.FromSeconds(5)); // it grew towards the cap
        Assert.Equal(1, logger.Count(LogLevel.Warning));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("after 40 failed attempts", StringComparison.Ordinal));

        // A second streak after a change: one more warning, then the new list is sent.
        target.FailNext(3, () => new InvalidOperationException("400 Bad Request"));
        target.Change("help", "weather");
        await target.WaitForRegistrationsAsync(2);
        Assert.Equal(2, logger.Count(LogLevel.Warning));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("after 3 failed attempts", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Error);

        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task The_platforms_retry_after_is_waited()
    {
        var time = new FakeTimeProvider { AutoAdvance = true };
        var target = new FakeRegistrationTarget("help") { RetryAfterOf = e => e is TimeoutException ? TimeSpan.FromSeconds(7) : null };
        target.FailNext(1, () => new TimeoutException("429"));
        var loop = Loop(target, new MemoryStore(), time);
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);

        await loop.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([TimeSpan.FromSeconds(7)], time.RequestedDelays);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_change_during_the_backoff_is_sent_by_the_next_attempt()
    {
        var time = new FakeTimeProvider();
        var target = new FakeRegistrationTarget("help");
        target.FailNext(1, () => new HttpRequestException("503"));
        var loop = Loop(target, new MemoryStore(), time);
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);

        await time.WaitForPendingTimersAsync();
        Assert.Equal(1, target.Attempts);
        target.Change("help", "weather");
        time.Advance(Backoff.RetryMaxDelay);
        await loop.FirstPass.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal([["help", "weather"]], target.Registered);

        // The change's own pass finds the list already sent; the next real change is sent.
        target.Change("help", "news");
        await target.WaitForRegistrationsAsync(2);
        Assert.Equal([["help", "weather"], ["help", "news"]], target.Registered);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Stopping_during_the_backoff_ends_the_loop_quietly()
    {
        var time = new FakeTimeProvider();
        var target = new FakeRegistrationTarget("help");
        target.FailNext(1, () => new HttpRequestException("503"));
        var loop = Loop(target, new MemoryStore(), time);
        using var stop = new CancellationTokenSource();
        var run = loop.RunAsync(stop.Token);

        await time.WaitForPendingTimersAsync();
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(20)); // no exception
        Assert.False(loop.FirstPass.IsCompleted);
        Assert.Empty(target.Registered);

        // Raising Changed after the stop does nothing (the loop unsubscribed).
        target.Change("help", "weather");
        Assert.Equal(1, target.Attempts);
    }
}
