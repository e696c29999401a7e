using Microsoft.Extensions.Caching.Distributed;
using Moltworker.Kernel.Filters.Caching;
using Moltworker.Storage.Postgres.Database;
using Npgsql;
using NpgsqlTypes;

namespace Moltworker.Storage.Postgres.Caching;

/// <summary>The tool-result cache's durable level in the <c>tool_cache</c> table, shared by every host on the database.
/// Expiry is judged on the injected clock (<see cref="CacheEntryLifetime"/>), not the server's, as on SQLite.</summary>
public sealed class PostgresToolCacheStore(PostgresDatabase db, TimeProvider time) : IToolCacheStore
{
    public byte[]? Get(string key) => GetAsync(key).GetAwaiter().GetResult();

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            byte[] value;
            long? sliding;
            DateTimeOffset? absolute;
            await using (var cmd = new NpgsqlCommand(
                "SELECT value, sliding_ms, absolute_at FROM tool_cache WHERE key = @k AND (expires_at IS NULL OR expires_at > @now)", c)
                .With("k", key).With("now", now))
            {
                await using var r = await cmd.ExecuteReaderAsync(token);
                if (!await r.ReadAsync(token)) return null;
                value = r.GetFieldValue<byte[]>(0);
                sliding = r.IsDBNull(1) ? null : r.GetInt64(1);
                absolute = r.GetTimeOrNull(2);
            }
            if (sliding is { } ms) await SlideAsync(c, key, now, ms, absolute, token);
            return (byte[]?)value;
        }, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => SetAsync(key, value, options).GetAwaiter().GetResult();

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        var lifetime = CacheEntryLifetime.Of(options, time.GetUtcNow());
        return db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO tool_cache (key, value, expires_at, sliding_ms, absolute_at) VALUES (@k, @v, @e, @s, @a)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,
                    sliding_ms = excluded.sliding_ms, absolute_at = excluded.absolute_at
                """, c)
                .With("k", key).With("e", lifetime.ExpiresAt).With("a", lifetime.AbsoluteAt)
                .With("s", lifetime.Sliding is { } s ? (long)s.TotalMilliseconds : (long?)null);
            cmd.Parameters.Add(new NpgsqlParameter("v", NpgsqlDbType.Bytea) { Value = value });
            await cmd.ExecuteNonQueryAsync(token);
        }, token);
    }

    public void Refresh(string key) => RefreshAsync(key).GetAwaiter().GetResult();

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            var now = time.GetUtcNow();
            long? sliding;
            DateTimeOffset? absolute;
            await using (var cmd = new NpgsqlCommand(
                "SELECT sliding_ms, absolute_at FROM tool_cache WHERE key = @k AND (expires_at IS NULL OR expires_at > @now)", c)
                .With("k", key).With("now", now))
            {
                await using var r = await cmd.ExecuteReaderAsync(token);
                if (!await r.ReadAsync(token)) return;
                sliding = r.IsDBNull(0) ? null : r.GetInt64(0);
                absolute = r.GetTimeOrNull(1);
            }
            if (sliding is { } ms) await SlideAsync(c, key, now, ms, absolute, token);
        }, token);

    public void Remove(string key) => RemoveAsync(key).GetAwaiter().GetResult();

    public Task RemoveAsync(string key, CancellationToken token = default) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM tool_cache WHERE key = @k", c).With("k", key);
            await cmd.ExecuteNonQueryAsync(token);
        }, token);

    public Task<int> SweepAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM tool_cache WHERE expires_at IS NOT NULL AND expires_at <= @now", c)
                .With("now", time.GetUtcNow());
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static async Task SlideAsync(NpgsqlConnection c, string key, DateTimeOffset now, long slidingMs, DateTimeOffset? absolute, CancellationToken token)
    {
        await using var cmd = new NpgsqlCommand("UPDATE tool_cache SET expires_at = @e WHERE key = @k", c)
            .With("k", key).With("e", CacheEntryLifetime.Slide(now, TimeSpan.FromMilliseconds(slidingMs), absolute));
        await cmd.ExecuteNonQueryAsync(token);
    }
}
