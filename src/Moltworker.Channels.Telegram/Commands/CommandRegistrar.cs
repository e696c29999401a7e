using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Kernel.State;

namespace Moltworker.Channels.Telegram.Commands;

/// <summary>
/// Calls setMyCommands at start and whenever the plugin commands change, unless the same list was already
/// registered (its hash is kept in the key-value store).
/// </summary>
public sealed partial class CommandRegistrar(
    TelegramBotClient client,
    TelegramCommands commands,
    TelegramResilience resilience,
    IKeyValueStore store,
    ILogger<CommandRegistrar> logger) : BackgroundService
{
    public const string HashKey = "telegram:commands-hash";
    private readonly SemaphoreSlim _changed = new(0);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the start-up registration (or the decision to skip it) is done.</summary>
    public Task FirstPass => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        commands.Changed += OnChanged;
        var pipeline = resilience.Poll(args =>
        {
            LogFailed(args.Outcome.Exception?.Message ?? "", args.RetryDelay);
            return ValueTask.CompletedTask;
        });
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await pipeline.ExecuteAsync(RegisterAsync, stoppingToken);
                _firstPass.TrySetResult();
                await _changed.WaitAsync(stoppingToken);
                while (_changed.CurrentCount > 0) await _changed.WaitAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally { commands.Changed -= OnChanged; }
    }

    private async ValueTask RegisterAsync(CancellationToken ct)
    {
        var list = commands.Map.Commands;
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(list, TelegramJson.Options))));
        if (await store.GetAsync(HashKey, ct) == hash)
        {
            LogUnchanged(list.Count);
            return;
        }
        await client.SetMyCommandsAsync(list, ct);
        await store.SetAsync(HashKey, hash, ct);
        LogRegistered(list.Count);
    }

    private void OnChanged() => _changed.Release();

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram commands registered ({Count})")]
    private partial void LogRegistered(int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram commands unchanged ({Count}); not registered again")]
    private partial void LogUnchanged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram setMyCommands failed ({Reason}); retrying in {Delay}")]
    private partial void LogFailed(string reason, TimeSpan delay);
}
