using System.Globalization;
using Microsoft.Data.Sqlite;
using Moltworker.Kernel.State;
using Moltworker.Storage.Sqlite.Database;

namespace Moltworker.Storage.Sqlite.ApiKeys;

/// <summary><see cref="IApiKeyStore"/> in the <c>api_keys</c> table. Scopes are stored as a comma-separated list.</summary>
public sealed class SqliteApiKeyStore(SqliteDatabase db, TimeProvider time) : IApiKeyStore
{
    private const string Columns = "name, hash, scopes, created_at, revoked_at";

    public Task<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO api_keys (name, hash, scopes, created_at) VALUES ($n, $h, $s, $t)";
            cmd.Parameters.AddWithValue("$n", key.Name);
            cmd.Parameters.AddWithValue("$h", key.Hash);
            cmd.Parameters.AddWithValue("$s", string.Join(',', key.Scopes));
            cmd.Parameters.AddWithValue("$t", key.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ApiKeyRecord>>(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM api_keys ORDER BY id";
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var keys = new List<ApiKeyRecord>();
            while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
            return keys;
        }, cancellationToken);

    public Task<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT {Columns} FROM api_keys WHERE hash = $h";
            cmd.Parameters.AddWithValue("$h", hash);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }, cancellationToken);

    public Task<bool> RevokeAsync(string name, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE api_keys SET revoked_at = $t WHERE name = $n AND revoked_at IS NULL";
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<bool> AnyActiveAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)";
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);

    private static ApiKeyRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
        DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        reader.IsDBNull(4) ? null : DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
}
