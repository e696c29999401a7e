using Npgsql;
using Moltworker.Kernel.State;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.ApiKeys;

/// <summary><see cref="IApiKeyStore"/> in the <c>api_keys</c> table. Scopes are stored as a comma-separated list, as
/// on SQLite.</summary>
public sealed class PostgresApiKeyStore(PostgresDatabase db, TimeProvider time) : IApiKeyStore
{
    private const string Columns = "name, hash, scopes, created_at, revoked_at";

    public Task<bool> CreateAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            // No conflict target: a taken hash and a taken active name both make it a no-op.
            await using var cmd = new NpgsqlCommand("INSERT INTO api_keys (name, hash, scopes, created_at) VALUES (@n, @h, @s, @t) ON CONFLICT DO NOTHING", c)
                .With("n", key.Name).With("h", key.Hash).With("s", string.Join(',', key.Scopes)).With("t", key.CreatedAt);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<ApiKeyRecord>>(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM api_keys ORDER BY id", c);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            var keys = new List<ApiKeyRecord>();
            while (await reader.ReadAsync(cancellationToken)) keys.Add(Read(reader));
            return keys;
        }, cancellationToken);

    public Task<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM api_keys WHERE hash = @h", c).With("h", hash);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }, cancellationToken);

    public Task<bool> RevokeAsync(string name, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("UPDATE api_keys SET revoked_at = @t WHERE name = @n AND revoked_at IS NULL", c)
                .With("n", name).With("t", time.GetUtcNow());
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<bool> AnyActiveAsync(CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM api_keys WHERE revoked_at IS NULL)", c);
            return (bool)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
        reader.GetTime(3),
        reader.GetTimeOrNull(4));
}
