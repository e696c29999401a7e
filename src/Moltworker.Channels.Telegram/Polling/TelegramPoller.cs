using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moltworker.Channels.Telegram.Client;
using Moltworker.Channels.Telegram.Intake;
using Moltworker.Channels.Telegram.Options;
using Moltworker.Channels.Telegram.Replies;
using Moltworker.Kernel.Cluster;
using Moltworker.Kernel.Inbox;
using Moltworker.Kernel.State;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Moltworker.Channels.Telegram.Polling;

/// <summary>
/// Long polling: getUpdates (through Telegram.Bot, answered as raw JSON by <see cref="RawUpdatesRequest"/> so one
/// unreadable update cannot fail its batch) with a 30 s timeout from the stored offset; every update of a batch is put in the
/// inbox (or deliberately skipped) before the offset moves past it and is stored. A restart resumes at the
/// stored offset; an update accepted twice is a duplicate in the inbox. Failures back off and never stop the loop.
/// One bad update never holds the offset: whatever the intake could not handle for a reason that retrying would not
/// change is counted as rejected and passed. While the database cannot store (a <see cref="StorageException"/>) the
/// offset stays where it is and polling backs off: Telegram keeps the updates until the disk has room again.
/// The offset is kept per bot: update ids are the bot's own, and another bot's offset sent to getUpdates would
/// confirm (drop) this bot's pending updates below it.
/// With several hosts on one database, only the leader polls (<see cref="LeaderGate"/>): polling starts when this host
/// becomes the leader, from the offset in the shared store, and stops when it is no longer the leader. An update the old
/// leader accepted but whose offset it had not stored yet comes again and is a duplicate in the shared inbox.
/// </summary>
public sealed partial class TelegramPoller(
    ITelegramBotClient client,
    TelegramIntake intake,
    BotIdentity identity,
    IKeyValueStore store,
    TelegramResilience resilience,
    RejectedIntake rejected,
    IOptions<TelegramOptions> options,
    ILogger<TelegramPoller> logger,
    LeaderGate? leader = null) : BackgroundService
{
    /// <summary>The store key of a bot's offset.</summary>
    public static string OffsetKey(long botId) => "telegram:offset:" + botId.ToString(CultureInfo.InvariantCulture);
    private static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery];

    /// <summary>The next offset asked for (last handled update id + 1).</summary>
    public int? Offset { get; private set; }

    public DateTimeOffset? LastPollAt { get; private set; }
    public int ConsecutiveFailures { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken lost;
            try { lost = leader is null ? CancellationToken.None : await leader.WaitAsync(stoppingToken); }
            catch (OperationCanceledException) { return; }
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lost);
            await PollAsync(term.Token);
            if (!stoppingToken.IsCancellationRequested) LogStoppedNotLeader();
        }
    }

    /// <summary>Polls until <paramref name="stoppingToken"/> (the host stops, or the leadership is lost).</summary>
    private async Task PollAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var pipeline = resilience.Poll(args =>
        {
            ConsecutiveFailures = args.AttemptNumber + 1;
            LogPollFailed(args.Outcome.Exception?.GetType().Name ?? "?", TokenRedactor.Redact(args.Outcome.Exception?.Message, o.BotToken), args.RetryDelay);
            return ValueTask.CompletedTask;
        });
        var offsetKey = "";
        try
        {
            await pipeline.ExecuteAsync(async ct =>
            {
                await client.DeleteWebhook(false, ct);
                offsetKey = OffsetKey((await identity.GetAsync(ct)).Id);
                var stored = await store.GetAsync(offsetKey, ct);
                Offset = int.TryParse(stored, NumberStyles.Integer, CultureInfo.InvariantCulture, out var offset) ? offset : null;
            }, stoppingToken);
            LogStarted(Offset);
            while (!stoppingToken.IsCancellationRequested)
            {
                var request = new RawUpdatesRequest
                {
                    Offset = Offset,
                    Limit = Math.Clamp(o.PollLimit, 1, 100),
                    Timeout = Math.Max(0, o.PollTimeoutSeconds),
                    AllowedUpdates = AllowedUpdates,
                };
                var updates = await pipeline.ExecuteAsync(async ct => await client.SendRequest(request, ct), stoppingToken);
                ConsecutiveFailures = 0;
                LastPollAt = DateTimeOffset.UtcNow;
                if (updates.Length == 0) continue;
                await pipeline.ExecuteAsync(ct => AcceptBatchAsync(updates, offsetKey, ct), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async ValueTask AcceptBatchAsync(IReadOnlyList<JsonElement> updates, string offsetKey, CancellationToken ct)
    {
        var next = Offset;
        foreach (var update in updates)
        {
            var id = update.ValueKind == JsonValueKind.Object && update.TryGetProperty("update_id", out var idElement)
                && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt32(out var n) ? n : (int?)null;
            if (id is null) continue;
            if (next is not null && id < next) continue;
            IntakeResult result;
            try { result = await intake.AcceptAsync(update, ct); }
            catch (Exception ex) when (!WorthRetrying(ex))
            {
                rejected.Record(TelegramIntake.Source);
                LogUpdateFailed(id.Value, ex.GetType().Name, ex.Message);
                result = IntakeResult.Rejected;
            }
            LogUpdate(id.Value, result);
            next = id + 1;
        }
        if (next != Offset && next is not null)
        {
            await store.SetAsync(offsetKey, next.Value.ToString(CultureInfo.InvariantCulture), ct);
            Offset = next;
        }
    }

    /// <summary>Failures of the storage or of Telegram itself: the same update will go through once they pass.</summary>
    private static bool WorthRetrying(Exception ex) =>
        ex is StorageException or OperationCanceledException or RequestException or HttpRequestException or TimeoutException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram update {UpdateId} failed in the intake ({Type}: {Reason}); refused and passed")]
    private partial void LogUpdateFailed(int updateId, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram long polling stopped: this host is no longer the leader")]
    private partial void LogStoppedNotLeader();

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram long polling started at offset {Offset}")]
    private partial void LogStarted(int? offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telegram update {UpdateId}: {Result}")]
    private partial void LogUpdate(int updateId, IntakeResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telegram polling failed ({Type}: {Reason}); retrying in {Delay}")]
    private partial void LogPollFailed(string type, string reason, TimeSpan delay);
}
