using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.Stores;

public sealed class SqliteKeyValueStore(SqliteDatabase db, TimeProvider time) : IKeyValueStore
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT value FROM kv WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            return await cmd.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);

    public Task SetAsync(string key, string value, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO kv (key, value, updated_at) VALUES ($k, $v, $t) ON CONFLICT(key) DO UPDATE SET value = $v, updated_at = $t";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
