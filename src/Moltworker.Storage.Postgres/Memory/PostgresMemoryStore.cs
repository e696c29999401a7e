using Npgsql;
using NpgsqlTypes;
using Moltworker.Kernel.Memory;
using Moltworker.Storage.Postgres.Database;

namespace Moltworker.Storage.Postgres.Memory;

/// <summary><see cref="IMemoryStore"/> in the shared <c>memories</c> table: every statement has <c>user_key = @u</c>
/// in its WHERE clause. Adds for one user are serialized by a transaction-scoped advisory lock, so two hosts cannot
/// both pass the limit.</summary>
public sealed class PostgresMemoryStore(PostgresDatabase db) : IMemoryStore
{
    public Task<bool> AddAsync(UserMemory memory, int maxPerUser, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            await using (var lockUser = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('memory/' || @u, 0))", c, tx).With("u", memory.User))
                await lockUser.ExecuteNonQueryAsync(cancellationToken);
            await using (var count = new NpgsqlCommand("SELECT count(*) FROM memories WHERE user_key = @u", c, tx).With("u", memory.User))
            {
                if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxPerUser) return false;
            }
            await using var insert = new NpgsqlCommand("INSERT INTO memories (id, user_key, text, created_at, embedding) VALUES (@id, @u, @t, @c, @e)", c, tx)
                .With("id", memory.Id).With("u", memory.User).With("t", memory.Text).With("c", memory.CreatedAt);
            insert.Parameters.Add(new NpgsqlParameter("e", NpgsqlDbType.Bytea) { Value = memory.Embedding is { } e ? MemoryEmbedding.ToBytes(e) : DBNull.Value });
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<UserMemory>> ListAsync(string user, bool withEmbeddings, CancellationToken cancellationToken) =>
        db.RunAsync<IReadOnlyList<UserMemory>>(async c =>
        {
            await using var cmd = new NpgsqlCommand(
                $"SELECT id, user_key, text, created_at, {(withEmbeddings ? "embedding" : "NULL::bytea")} FROM memories WHERE user_key = @u ORDER BY created_at, id", c)
                .With("u", user);
            await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
            var list = new List<UserMemory>();
            while (await r.ReadAsync(cancellationToken))
                list.Add(new UserMemory(r.GetString(0), r.GetString(1), r.GetString(2), r.GetTime(3))
                {
                    Embedding = r.IsDBNull(4) ? null : MemoryEmbedding.FromBytes(r.GetFieldValue<byte[]>(4)),
                });
            return list;
        }, cancellationToken);

    public Task<bool> RemoveAsync(string user, string id, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM memories WHERE user_key = @u AND id = @id", c).With("u", user).With("id", id);
            return await cmd.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);

    public Task<int> ClearAsync(string user, CancellationToken cancellationToken) =>
        db.RunAsync(async c =>
        {
            await using var cmd = new NpgsqlCommand("DELETE FROM memories WHERE user_key = @u", c).With("u", user);
            return await cmd.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
