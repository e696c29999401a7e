using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Moltworker.EndToEnd.Tests.Hosting;

/// <summary>The errors a <see cref="RunningHost"/> logged (level Error and up, with their exceptions), so a test that got
/// a 500 can say why: the host's console log is not part of a test's output.</summary>
public sealed class HostErrorLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(HostErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) log._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
