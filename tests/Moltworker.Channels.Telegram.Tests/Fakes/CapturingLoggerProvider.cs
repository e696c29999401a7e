using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Moltworker.Channels.Telegram.Tests.Fakes;

/// <summary>Keeps every log line (all levels, with exceptions) so tests can look for secrets or wait for a line.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public async Task WaitForAsync(Func<string, bool> match)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            Task added;
            lock (_gate) added = _added.Task;
            if (Lines.Any(match)) return;
            await added.WaitAsync(cts.Token);
        }
    }

    public void Dispose() { }

    private void Add(string line)
    {
        Lines.Enqueue(line);
        TaskCompletionSource old;
        lock (_gate) { old = _added; _added = new(TaskCreationOptions.RunContinuationsAsynchronously); }
        old.TrySetResult();
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
