using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Moltworker.Kernel.Plugins;
using Moltworker.Mcp.Options;
using Moltworker.Mcp.Tools;

namespace Moltworker.Mcp.Connections;

/// <summary>
/// One configured MCP server, kept connected: connect, list the tools, publish them as a plugin; list again on
/// <c>notifications/tools/list_changed</c>; when the server cannot start, does not answer or goes away, publish the
/// failure and try again after a wait that doubles up to <see cref="McpOptions.RetryMaxDelay"/> (on the injected
/// <see cref="TimeProvider"/>). A failure is logged once; again only when its error changes or after a recovery.
/// </summary>
public sealed partial class McpServerConnection : IAsyncDisposable
{
    private const string Origin = "mcp";
    private readonly McpServerSettings _settings;
    private readonly McpOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StandardErrorTail _stderr = new();
    private PluginDescriptor? _current;
    private string? _loggedError;
    private Task? _loop;
    private int _disposed;

    public McpServerConnection(string name, McpServerSettings settings, McpOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Name = name;
        _settings = settings;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<McpServerConnection>();
    }

    public string Name { get; }

    /// <summary>The plugin as of now: its tools, or why it has none; null until the first attempt ended.</summary>
    public PluginDescriptor? Current => Volatile.Read(ref _current);

    /// <summary>Completes when the first connection attempt succeeded or failed.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    /// <summary>Raised when <see cref="Current"/> changed: connected, tools changed, failed, reconnected.</summary>
    public event Action? Changed;

    public void Start()
    {
        if (_settings.Problem is { } problem)
        {
            Publish(PluginDescriptor.Failure(Name, Origin, $"configuration: {problem}"));
            _firstAttempt.TrySetResult();
            return;
        }
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var failures = 0;
        var stopped = Task.Delay(Timeout.Infinite, stop);
        while (!stop.IsCancellationRequested)
        {
            string error;
            try
            {
                error = await ServeAsync(stop, stopped, () => failures = 0).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception ex) { error = Describe(ex); }
            Publish(PluginDescriptor.Failure(Name, Origin, error));
            var delay = Backoff(failures++);
            LogRetry(Name, delay);
            try { await Task.Delay(delay, _time, stop).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        _firstAttempt.TrySetResult();
    }

    /// <summary>One session: returns why it ended (the server went away); throws when it could not be set up.</summary>
    private async Task<string> ServeAsync(CancellationToken stop, Task stopped, Action connected)
    {
        _stderr.Clear();
        var transport = McpTransports.Create(Name, _settings, _options, _loggers, _stderr.Add);
        await using var owned = transport as IAsyncDisposable;
        using var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop, connectTimeout.Token);
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, new McpClientOptions(), _loggers, connecting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {_options.ConnectTimeout.TotalSeconds:0.#} s");
        }
        await using (client.ConfigureAwait(false))
        {
            var listChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var unreachable = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            void Unreachable(Exception ex) => unreachable.TrySetResult($"a call found it unreachable: {ex.Message}");
            await using var handler = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification, (_, _) =>
            {
                Volatile.Read(ref listChanged).TrySetResult();
                return ValueTask.CompletedTask;
            });
            await PublishToolsAsync(client, Unreachable, connecting.Token).ConfigureAwait(false);
            connected();
            LogConnected(Name, Current!.Tools.Count);
            while (true)
            {
                var woke = await Task.WhenAny(Volatile.Read(ref listChanged).Task, client.Completion, unreachable.Task, stopped).ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                if (woke == unreachable.Task) return await unreachable.Task.ConfigureAwait(false);
                if (woke == client.Completion) return Ended(await client.Completion.ConfigureAwait(false));
                // A change announced while listing is listed again: the next signal is armed before the list is read.
                Volatile.Write(ref listChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                await PublishToolsAsync(client, Unreachable, stop).ConfigureAwait(false);
                LogToolsChanged(Name, Current!.Tools.Count);
            }
        }
    }

    /// <param name="unreachable">The session's own: a tool of an older session cannot end a newer one.</param>
    private async Task PublishToolsAsync(McpClient client, Action<Exception> unreachable, CancellationToken cancellationToken)
    {
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var functions = tools.Select(t => (AIFunction)new McpToolFunction(t.WithName(McpToolFunction.ModelName(t.Name)), Name, _settings, unreachable)).ToList();
        Publish(new PluginDescriptor(Name, Origin, functions) { Version = client.ServerInfo?.Version });
    }

    private void Publish(PluginDescriptor plugin)
    {
        var previous = Interlocked.Exchange(ref _current, plugin);
        _firstAttempt.TrySetResult();
        if (plugin.Failed)
        {
            if (_loggedError != plugin.Error) LogFailed(Name, plugin.Error!);
            _loggedError = plugin.Error;
            if (previous?.Error == plugin.Error) return; // the same failure again is no news
        }
        else _loggedError = null;
        Changed?.Invoke();
    }

    private string Ended(ClientCompletionDetails details)
    {
        var why = details switch
        {
            StdioClientCompletionDetails { ExitCode: { } code } => $"the server exited with code {code}",
            _ when details.Exception is { } ex => $"the connection closed: {ex.Message}",
            _ => "the server closed the connection",
        };
        return WithStderr(why);
    }

    private string Describe(Exception ex) => WithStderr(ex switch
    {
        TimeoutException => $"not answering: {ex.Message}",
        _ => $"cannot connect: {Messages(ex)}",
    });

    /// <summary>The exception's message and those of its inner exceptions (where the real cause usually is).</summary>
    private static string Messages(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            if (e.Message.TrimEnd('.') is { Length: > 0 } m && !parts.Contains(m)) parts.Add(m);
        return string.Join(": ", parts);
    }

    private string WithStderr(string why) => _stderr.Last is { Length: > 0 } tail ? $"{why} (stderr: {tail})" : why;

    public TimeSpan Backoff(int failuresInARow)
    {
        var initial = _options.RetryInitialDelay > TimeSpan.Zero ? _options.RetryInitialDelay : TimeSpan.FromSeconds(1);
        var max = _options.RetryMaxDelay >= initial ? _options.RetryMaxDelay : initial;
        var factor = Math.Pow(2, Math.Min(failuresInARow, 30));
        return TimeSpan.FromTicks((long)Math.Min(initial.Ticks * factor, max.Ticks));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null) await _loop.ConfigureAwait(false);
        _firstAttempt.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} connected with {Count} tools")]
    private partial void LogConnected(string server, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "MCP server {Server} changed its tools; it offers {Count} now")]
    private partial void LogToolsChanged(string server, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "MCP server {Server} failed: {Error}")]
    private partial void LogFailed(string server, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP server {Server}: next attempt in {Delay}")]
    private partial void LogRetry(string server, TimeSpan delay);
}
