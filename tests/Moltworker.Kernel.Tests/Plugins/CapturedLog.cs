using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Moltworker.Kernel.Tests.Plugins;

/// <summary>A logger provider that keeps every line (level, category, formatted message), for counting log lines.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public sealed record Line(LogLevel Level, string Category, string Message);

    private readonly ConcurrentQueue<Line> _lines = new();

    public IReadOnlyList<Line> Lines => [.. _lines];

    /// <summary>Lines at <see cref="LogLevel.Warning"/> or above whose message contains <paramref name="text"/>.</summary>
    public IReadOnlyList<Line> Problems(string text) =>
        Lines.Where(l => l.Level >= LogLevel.Warning && l.Message.Contains(text, StringComparison.Ordinal)).ToList();

    public ILogger<T> For<T>() => new Logger<T>(new LoggerFactory([this]));

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);

    public void Dispose() { }

    private sealed class Capturing(CapturedLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue(new Line(logLevel, category, formatter(state, exception)));
    }
}
