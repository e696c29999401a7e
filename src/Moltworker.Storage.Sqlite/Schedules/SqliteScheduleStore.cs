using Microsoft.Data.Sqlite;
using Moltworker.Kernel.Filters;
using Moltworker.Kernel.Schedules;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Schedules;

/// <summary><see cref="IScheduleStore"/> in the <c>schedules</c> table. One host owns a SQLite file (the data directory
/// lock), so a claim of another owner is one a dead process left behind and does not hold.</summary>
public sealed class SqliteScheduleStore(SqliteDatabase db) : IScheduleStore
{
    private const string Columns = "id, channel, chat_id, user_id, kind, cron, time_zone, every_ms, at_ms, what, created_ms, next_run_ms, last_run_ms, last_error, failure_reported, paused_ms";

    public Task<bool> AddAsync(Schedule schedule, int maxPerChat, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var transaction = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
            await using (var count = c.CreateCommand())
            {
                count.Transaction = transaction;
                count.CommandText = "SELECT COUNT(*) FROM schedules WHERE channel = $c AND chat_id = $chat";
                count.Parameters.AddWithValue("$c", schedule.Address.Channel);
                count.Parameters.AddWithValue("$chat", schedule.Address.ChatId);
                if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxPerChat) return false;
            }
            await using (var insert = c.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = $"INSERT INTO schedules ({Columns}) VALUES ($id, $c, $chat, $u, $k, $cron, $tz, $every, $at, $what, $created, $next, NULL, NULL, 0, $paused)";
                var t = schedule.Timing;
                insert.Parameters.AddWithValue("$id", schedule.Id);
                insert.Parameters.AddWithValue("$c", schedule.Address.Channel);
                insert.Parameters.AddWithValue("$chat", schedule.Address.ChatId);
                insert.Parameters.AddWithValue("$u", (object?)schedule.Address.UserId ?? DBNull.Value);
                insert.Parameters.AddWithValue("$k", t.Kind.ToString());
                insert.Parameters.AddWithValue("$cron", (object?)t.Cron ?? DBNull.Value);
                insert.Parameters.AddWithValue("$tz", t.TimeZone);
                insert.Parameters.AddWithValue("$every", t.Every is { } every ? (long)every.TotalMilliseconds : DBNull.Value);
                insert.Parameters.AddWithValue("$at", t.At is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
                insert.Parameters.AddWithValue("$what", schedule.What);
                insert.Parameters.AddWithValue("$created", schedule.CreatedAt.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$next", schedule.NextRunAt.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$paused", schedule.PausedAt is { } paused ? paused.ToUnixTimeMilliseconds() : DBNull.Value);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ListAsync(ChatAddress? chat, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<Schedule>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = chat is null
                ? $"SELECT {Columns} FROM schedules ORDER BY next_run_ms, id"
                : $"SELECT {Columns} FROM schedules WHERE channel = $c AND chat_id = $chat ORDER BY next_run_ms, id";
            if (chat is not null)
            {
                cmd.Parameters.AddWithValue("$c", chat.Channel);
                cmd.Parameters.AddWithValue("$chat", chat.ChatId);
            }
            return await ReadAllAsync(cmd, cancellationToken);
        }, cancellationToken);

    public Task<Schedule?> GetAsync(string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM schedules WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return (await ReadAllAsync(cmd, cancellationToken)).FirstOrDefault();
        }, cancellationToken);

    public Task<bool> RemoveAsync(string id, ChatAddress? chat, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = chat is null
                ? "DELETE FROM schedules WHERE id = $id"
                : "DELETE FROM schedules WHERE id = $id AND channel = $c AND chat_id = $chat";
            cmd.Parameters.AddWithValue("$id", id);
            if (chat is not null)
            {
                cmd.Parameters.AddWithValue("$c", chat.Channel);
                cmd.Parameters.AddWithValue("$chat", chat.ChatId);
            }
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<bool> PauseAsync(string id, ChatAddress? chat, DateTimeOffset at, CancellationToken cancellationToken) =>
        UpdateOneAsync("paused_ms = $v", "paused_ms IS NULL", id, chat, at.ToUnixTimeMilliseconds(), cancellationToken);

    public Task<bool> ResumeAsync(string id, ChatAddress? chat, DateTimeOffset nextRunAt, CancellationToken cancellationToken) =>
        UpdateOneAsync("paused_ms = NULL, next_run_ms = $v", "paused_ms IS NOT NULL", id, chat, nextRunAt.ToUnixTimeMilliseconds(), cancellationToken);

    private Task<bool> UpdateOneAsync(string set, string condition, string id, ChatAddress? chat, long value, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"UPDATE schedules SET {set} WHERE id = $id AND {condition}" + (chat is null ? "" : " AND channel = $c AND chat_id = $chat");
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$v", value);
            if (chat is not null)
            {
                cmd.Parameters.AddWithValue("$c", chat.Channel);
                cmd.Parameters.AddWithValue("$chat", chat.ChatId);
            }
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(string owner, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT next_run_ms FROM schedules WHERE paused_ms IS NULL AND (claimed_by IS NULL OR claimed_by <> $o) ORDER BY next_run_ms LIMIT 1";   // walks the index, stops at the first
            cmd.Parameters.AddWithValue("$o", owner);
            return await cmd.ExecuteScalarAsync(cancellationToken) is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    public Task<IReadOnlyList<Schedule>> ClaimDueAsync(DateTimeOffset now, string owner, int max, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<Schedule>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"""
                UPDATE schedules SET claimed_by = $o
                WHERE id IN (SELECT id FROM schedules WHERE next_run_ms <= $now AND paused_ms IS NULL AND (claimed_by IS NULL OR claimed_by <> $o)
                             ORDER BY next_run_ms LIMIT $max)
                RETURNING {Columns}
                """;
            cmd.Parameters.AddWithValue("$o", owner);
            cmd.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            cmd.Parameters.AddWithValue("$max", max);
            var claimed = await ReadAllAsync(cmd, cancellationToken);
            return claimed.OrderBy(s => s.NextRunAt).ToList();
        }, cancellationToken);

    public Task CompleteRunAsync(string id, ScheduleRunOutcome outcome, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.Parameters.AddWithValue("$id", id);
            if (outcome.NextRunAt is not { } next)
            {
                cmd.CommandText = "DELETE FROM schedules WHERE id = $id";
            }
            else
            {
                cmd.CommandText = """
                    UPDATE schedules SET next_run_ms = $next, last_run_ms = COALESCE($ran, last_run_ms), last_error = $error,
                                         failure_reported = $reported, claimed_by = NULL
                    WHERE id = $id
                    """;
                cmd.Parameters.AddWithValue("$next", next.ToUnixTimeMilliseconds());
                cmd.Parameters.AddWithValue("$ran", outcome.RanAt is { } ran ? ran.ToUnixTimeMilliseconds() : DBNull.Value);
                cmd.Parameters.AddWithValue("$error", (object?)outcome.Error ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$reported", outcome.FailureReported ? 1 : 0);
            }
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task<List<Schedule>> ReadAllAsync(SqliteCommand cmd, CancellationToken cancellationToken)
    {
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<Schedule>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(Read(reader));
        return list;
    }

    private static Schedule Read(SqliteDataReader r)
    {
        var timing = new ScheduleTiming
        {
            Kind = Enum.Parse<ScheduleKind>(r.GetString(4)),
            Cron = r.IsDBNull(5) ? null : r.GetString(5),
            TimeZone = r.GetString(6),
            Every = r.IsDBNull(7) ? null : TimeSpan.FromMilliseconds(r.GetInt64(7)),
            At = r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        };
        var address = new ChatAddress(r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3));
        return new Schedule(r.GetString(0), address, timing, r.GetString(9))
        {
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
            NextRunAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
            LastRunAt = r.IsDBNull(12) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
            LastError = r.IsDBNull(13) ? null : r.GetString(13),
            FailureReported = r.GetInt64(14) != 0,
            PausedAt = r.IsDBNull(15) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(15)),
        };
    }
}
