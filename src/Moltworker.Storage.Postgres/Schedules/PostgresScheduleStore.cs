using Npgsql;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Schedules;

/// <summary>
/// <see cref="IScheduleStore"/> in the shared <c>schedules</c> table. Several hosts' schedulers claim from it: a claim
/// takes the due rows with <c>FOR UPDATE SKIP LOCKED</c>, so two hosts claiming at once never take the same row, and a
/// row claimed by another scheduler stays taken while that host lives (its <see cref="PostgresPresence"/> process is in
/// <c>pg_stat_activity</c>). A due time therefore runs once across hosts; when the claiming host dies mid-run, another
/// host claims the schedule again at its next pass, as a restart does on SQLite.
/// </summary>
public sealed class PostgresScheduleStore(PostgresDatabase db) : IScheduleStore, IAsyncDisposable
{
    private const string Columns = "id, channel, chat_id, user_id, kind, cron, time_zone, every_ms, at, what, created_at, next_run_at, last_run_at, last_error, failure_reported, paused_at";

    /// <summary>Rows free for <c>@o</c>: unclaimed, or claimed by another scheduler whose host is gone.</summary>
    private const string Free = "paused_at IS NULL AND (claimed_by IS NULL OR (claimed_by <> @o AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = schedules.claim_pid)))";

    private readonly PostgresPresence _presence = new(db);

    public Task<bool> AddAsync(Schedule schedule, int maxPerChat, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            // Serializes adds to one chat, so two hosts cannot both pass the count.
            await using (var lockChat = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@c || '/' || @chat, 0))", c, tx)
                             .With("c", schedule.Address.Channel).With("chat", schedule.Address.ChatId))
                await lockChat.ExecuteNonQueryAsync(cancellationToken);
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM schedules WHERE channel = @c AND chat_id = @chat", c, tx)
                             .With("c", schedule.Address.Channel).With("chat", schedule.Address.ChatId))
            {
                if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxPerChat) return false;
            }
            var t = schedule.Timing;
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO schedules ({Columns}) VALUES (@id, @c, @chat, @u, @k, @cron, @tz, @every, @at, @what, @created, @next, NULL, NULL, false, @paused)
                """, c, tx)
                .With("id", schedule.Id).With("c", schedule.Address.Channel).With("chat", schedule.Address.ChatId).With("u", schedule.Address.UserId)
                .With("k", t.Kind.ToString()).With("cron", t.Cron).With("tz", t.TimeZone)
                .With("every", t.Every is { } every ? (long)every.TotalMilliseconds : (long?)null).With("at", t.At).With("what", schedule.What)
                .With("created", schedule.CreatedAt).With("next", schedule.NextRunAt).With("paused", schedule.PausedAt);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ListAsync(ChatAddress? chat, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<Schedule>>(async c =>
        {
            await using var cmd = new NpgsqlCommand(chat is null
                ? $"SELECT {Columns} FROM schedules ORDER BY next_run_at, id"
                : $"SELECT {Columns} FROM schedules WHERE channel = @c AND chat_id = @chat ORDER BY next_run_at, id", c);
            if (chat is not null) cmd.With("c", chat.Channel).With("chat", chat.ChatId);
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM schedules WHERE id = @id", c).With("id", id);
            return (await ReadAllAsync(cmd, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<bool> RemoveAsync(string id, ChatAddress? chat, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand(chat is null
                ? "DELETE FROM schedules WHERE id = @id"
                : "DELETE FROM schedules WHERE id = @id AND channel = @c AND chat_id = @chat", c).With("id", id);
            if (chat is not null) cmd.With("c", chat.Channel).With("chat", chat.ChatId);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<bool> PauseAsync(string id, ChatAddress? chat, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateOneAsync("paused_at = @v", "paused_at IS NULL", id, chat, at, cancellationToken);

    public Task<bool> ResumeAsync(string id, ChatAddress? chat, DateTimeOffset nextRunAt, CancellationToken cancellationToken) =>
        UpdateOneAsync("paused_at = NULL, next_run_at = @v", "paused_at IS NOT NULL", id, chat, nextRunAt, cancellationToken);

    private Task<bool> UpdateOneAsync(string set, string condition, string id, ChatAddress? chat, DateTimeOffset value, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"UPDATE schedules SET {set} WHERE id = @id AND {condition}" +
                                                    (chat is null ? "" : " AND channel = @c AND chat_id = @chat"), c).With("id", id).With("v", value);
            if (chat is not null) cmd.With("c", chat.Channel).With("chat", chat.ChatId);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(string owner, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            // Rows another live host runs are left out too: their next due time is known only when that run completes.
            await using var cmd = new NpgsqlCommand($"SELECT min(next_run_at) FROM schedules WHERE {Free}", c).With("o", owner);
            return await cmd.ExecuteScalarAsync(cancellationToken) is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : (DateTimeOffset?)null;
        }, cancellationToken);

    public async Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, string owner, int max, CancellationToken cancellationToken)
    {
        var (pid, renewed) = await _presence.PidAsync(cancellationToken);
        return await db.RunAsync(async c =>
        {
            if (renewed)
            {
                // The presence connection was lost: the runs this scheduler has going on are still its own.
                await using var move = new NpgsqlCommand("UPDATE schedules SET claim_pid = @pid WHERE claimed_by = @o", c).With("pid", pid).With("o", owner);
                await move.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var cmd = new NpgsqlCommand($"""
                UPDATE schedules SET claimed_by = @o, claim_pid = @pid
                WHERE id IN (SELECT id FROM schedules WHERE next_run_at <= @now AND {Free}
                             ORDER BY next_run_at LIMIT @max FOR UPDATE SKIP LOCKED)
                RETURNING {Columns}
                """, c).With("o", owner).With("pid", pid).With("now", now).With("max", max);
            var claimed = await ReadAllAsync(cmd, cancellationToken);
            return (IReadOnlyList<Schedule>)claimed.OrderBy(s => s.NextRunAt).ToList();
        }, cancellationToken);
    }

    public Task CompleteRunAsync(string id, ScheduleRunOutcome outcome, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = outcome.NextRunAt is not { } next
                ? new NpgsqlCommand("DELETE FROM schedules WHERE id = @id", c).With("id", id)
                : new NpgsqlCommand("""
                    UPDATE schedules SET next_run_at = @next, last_run_at = COALESCE(@ran, last_run_at), last_error = @error,
                                         failure_reported = @reported, claimed_by = NULL, claim_pid = NULL
                    WHERE id = @id
                    """, c).With("id", id).With("next", next).With("ran", outcome.RanAt).With("error", outcome.Error).With("reported", outcome.FailureReported);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public ValueTask DisposeAsync() => _presence.DisposeAsync();

    private static async Task<List<Schedule>> ReadAllAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<Schedule>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(Read(reader));
        return list;
    }

    private static Schedule Read(NpgsqlDataReader r)
    {
        var timing = new ScheduleTiming
        {
            Kind = Enum.Parse<ScheduleKind>(r.GetString(4)),
            Cron = r.GetStringOrNull(5),
            TimeZone = r.GetString(6),
            Every = r.IsDBNull(7) ? null : TimeSpan.FromMilliseconds(r.GetInt64(7)),
            At = r.GetTimeOrNull(8),
        };
        var address = new ChatAddress(r.GetString(1), r.GetString(2), r.GetStringOrNull(3));
        return new Schedule(r.GetString(0), address, timing, r.GetString(9))
        {
            CreatedAt = r.GetTime(10),
            NextRunAt = r.GetTime(11),
            LastRunAt = r.GetTimeOrNull(12),
            LastError = r.GetStringOrNull(13),
            FailureReported = r.GetBoolean(14),
            PausedAt = r.GetTimeOrNull(15),
        };
    }
}
