using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Caching;

/// <summary>The tool-result cache's durable level in the <c>tool_cache</c> table of <c>moltworker.db</c>. Expiry is
/// judged on the injected clock (<see cref="CacheEntryLifetime"/>); times are fixed-width UTC text, so text order is
/// time order.</summary>
public sealed class SqliteToolCacheStore(SqliteDatabase db, TimeProvider time) : IToolCacheStore
{
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            byte[]? value = null;
            long? sliding = null;
            string? absolute = null;
            await using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT value, sliding_ms, absolute_at FROM tool_cache WHERE key = $k AND (expires_at IS NULL OR expires_at > $now)";
                cmd.Parameters.AddWithValue("$k", key);
                cmd.Parameters.AddWithValue("$now", Iso(now));
                await using var r = await cmd.ExecuteReaderAsync(token);
                if (!await r.ReadAsync(token)) return null;
                value = (byte[])r.GetValue(0);
                sliding = r.IsDBNull(1) ? null : r.GetInt64(1);
                absolute = r.IsDBNull(2) ? null : r.GetString(2);
            }
            if (sliding is { } ms) await SlideAsync(c, key, now, ms, absolute, token);
            return value;
        }, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var lifetime = CacheEntryLifetime.Of(options, time.GetUtcNow());
        return db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = """
                INSERT INTO tool_cache (key, value, expires_at, sliding_ms, absolute_at) VALUES ($k, $v, $e, $s, $a)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,
                    sliding_ms = excluded.sliding_ms, absolute_at = excluded.absolute_at
                """;
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.Add("$v", SqliteType.Blob).Value = value;
            cmd.Parameters.AddWithValue("$e", lifetime.ExpiresAt is { } e ? Iso(e) : DBNull.Value);
            cmd.Parameters.AddWithValue("$s", lifetime.Sliding is { } s ? (long)s.TotalMilliseconds : DBNull.Value);
            cmd.Parameters.AddWithValue("$a", lifetime.AbsoluteAt is { } a ? Iso(a) : DBNull.Value);
            await cmd.ExecuteNonQueryAsync(token);
        }, token);
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            long? sliding;
            string? absolute;
            await using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT sliding_ms, absolute_at FROM tool_cache WHERE key = $k AND (expires_at IS NULL OR expires_at > $now)";
                cmd.Parameters.AddWithValue("$k", key);
                cmd.Parameters.AddWithValue("$now", Iso(now));
                await using var r = await cmd.ExecuteReaderAsync(token);
                if (!await r.ReadAsync(token)) return;
                sliding = r.IsDBNull(0) ? null : r.GetInt64(0);
                absolute = r.IsDBNull(1) ? null : r.GetString(1);
            }
            if (sliding is { } ms) await SlideAsync(c, key, now, ms, absolute, token);
        }, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM tool_cache WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            await cmd.ExecuteNonQueryAsync(token);
        }, token);

    public Task<int> SweepAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM tool_cache WHERE expires_at IS NOT NULL AND expires_at <= $now";
            cmd.Parameters.AddWithValue("$now", Iso(time.GetUtcNow()));
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task SlideAsync(SqliteConnection c, string key, DateTimeOffset now, long slidingMs, string? absolute, CancellationToken token)
    {
        var expires = CacheEntryLifetime.Slide(now, TimeSpan.FromMilliseconds(slidingMs),
            absolute is null ? null : DateTimeOffset.Parse(absolute, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE tool_cache SET expires_at = $e WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$e", expires is { } e ? Iso(e) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(token);
    }

    /// <summary>UTC, fixed width: text order is time order.</summary>
    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
